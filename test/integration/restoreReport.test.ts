/**
 * A restore says what it drops (issue 19.4): before a backup replaces the damaged database, what
 * the backup lacks (stores, settings, attempts after its time) is read from the damaged file, kept
 * as a file next to the backups and said; sends made after the backup are in the restored log as
 * uncertain attempts instead of vanishing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreBeforeStart } from '../../src-main/app/damagedStart';
import { coresPerTest, startCore } from '../helpers/core';
import { overwritePage, rootPage } from '../helpers/damagePages';
import { makeTempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/waitFor';

const core = coresPerTest();
const store = (name: string) => ({ name, shopDomain: name.toLowerCase().replace(/\W+/g, '-'), account: 'sandbox' as const, testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' as const } });

/** A backup with one store; after it, another store and a delivered send of the first. */
async function madeAfterBackup(dir: string): Promise<{ externalId: string }> {
  const c = await startCore({ dir });
  const s = await c.ok('stores', 'create', store('In Backup'));
  await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_created', enabled: true });
  await waitFor(() => c.core.ctx.backups.list().length, (n) => n === 1); // the first backup, taken by itself
  await c.ok('stores', 'create', store('After Backup'));
  const { item } = await c.sendTest(s.id, 'subscription_created');
  expect(item.state).toBe('delivered');
  await c.close();
  return { externalId: item.externalId };
}

describe('a restore from Data health', () => {
  it('lists what the backup lacks in a file next to the backups, says it, and keeps the later send as an uncertain attempt', async () => {
    const tmp = makeTempDir();
    const { externalId } = await madeAfterBackup(tmp.dir);
    const file = path.join(tmp.dir, 'console.sqlite3');
    overwritePage(file, rootPage(file, 'store_health')); // damage where nothing the report needs lives

    const c = await core({ dir: tmp.dir });
    await c.core.checked;
    expect((await c.ok('dataHealth', 'status', {})).damaged).not.toBeNull();
    const r = await c.ok('dataHealth', 'restore', {});
    expect(r.lacking.summary).toBe('1 store, 0 settings, 1 attempt and 1 send');
    expect(path.dirname(r.lacking.file)).toBe(c.core.ctx.backups.dir);
    expect(fs.statSync(r.lacking.file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(r.lacking.file, 'utf8');
    expect(text).toContain('After Backup (after-backup');
    expect(text).toContain(`external_id ${externalId}`);
    // The send made after the backup did not vanish: it is uncertain, in the log, resendable.
    expect(r.lacking.carriedUncertain).toBe(1);
    const logged = (await c.ok('deliveries', 'list', { filter: { outcome: 'uncertain' }, limit: 10 })).rows;
    expect(logged.map((d) => d.externalId)).toEqual([externalId]);
    const attempt = await c.ok('deliveries', 'get', { id: logged[0]!.id });
    expect(attempt.errorMessage).toContain('the damaged database showed it delivered');
    expect(c.core.ctx.outbox.getItem(attempt.outboxId!)?.state).toBe('uncertain');
    expect((await c.ok('stores', 'list', {})).map((s) => s.name)).toEqual(['In Backup']);
    tmp.cleanup();
  });
});

describe('--restore-backup when the first page is damaged', () => {
  it('says the damaged file could not be read and keeps that in the report', async () => {
    const tmp = makeTempDir();
    await madeAfterBackup(tmp.dir);
    overwritePage(path.join(tmp.dir, 'console.sqlite3'), 1);
    const r = restoreBeforeStart(tmp.dir, 'newest');
    expect(r.lacking).toContain('the whole damaged file (SQLite cannot open it)');
    expect(fs.readFileSync(r.reportFile, 'utf8')).toContain('anything made after the backup may be missing');
    tmp.cleanup();
  });
});
