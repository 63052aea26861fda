/** Migration 11 keeps what earlier versions had checked with Postscript, each with its own time. */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/db/database';
import { MIGRATIONS } from '../../src-main/db/migrations';
import { EvidenceRepository } from '../../src-main/db/postscriptEvidence';
import { makeTempDir } from '../helpers/tmp';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('migration 11: what Postscript last said', () => {
  it('carries over checked keys, Test Event Users and Re-check’s lists; leaves unchecked ones unchecked', () => {
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    const db = new Database(path.join(t.dir, 'db.sqlite3'));
    db.pragma('foreign_keys = ON');
    const evidenceVersion = MIGRATIONS.findIndex((m) => m.name.startsWith('what Postscript last said'));
    migrate(db, MIGRATIONS.slice(0, evidenceVersion));
    const store = db.prepare(
      `INSERT INTO stores (id, name, shop_domain, account, postscript_shop_name, test_phone, test_user_status, test_user_checked_at, test_subscriber_id, created_at, updated_at)
       VALUES (?, ?, ?, 'live', ?, ?, ?, ?, ?, 'x', 'x')`,
    );
    const cred = db.prepare(`INSERT INTO credentials (store_id, kind, scheme, ciphertext, mask, fingerprint, status, checked_at) VALUES (?, 'shop', 'x', x'00', ?, ?, ?, ?)`);
    store.run('checked', 'Checked', 'checked.myshopify.com', 'Checked Shop', '+15555550100', 'no_transactional', '2026-01-02T03:04:05.000Z', 's_1');
    cred.run('checked', 'sk_…a1b2', 'f1', 'invalid', '2026-01-01T00:00:00.000Z');
    store.run('offline', 'Offline', 'offline.myshopify.com', null, '+15555550100', 'unchecked', '2026-01-03T00:00:00.000Z', null);
    cred.run('offline', 'sk_…c3d4', 'f2', 'unchecked', null);
    const state = db.prepare(`INSERT INTO app_state (key, value_json, updated_at) VALUES (?, ?, 'x')`);
    state.run('readiness.keywords.checked', JSON.stringify({ keywords: ['JOIN'], checkedAt: '2026-01-04T00:00:00.000Z' }));
    state.run('readiness.webhooks.checked', JSON.stringify({ callbackUrls: [], checkedAt: '2026-01-04T00:00:00.000Z' }));
    state.run('readiness.keywords.gone', JSON.stringify({ keywords: ['X'], checkedAt: '2026-01-04T00:00:00.000Z' }));

    migrate(db, MIGRATIONS);
    const repo = new EvidenceRepository(db);
    expect(repo.of('checked')).toEqual({
      key: { at: '2026-01-01T00:00:00.000Z', source: 'earlier', value: { accepted: false, keyMask: 'sk_…a1b2', shopName: 'Checked Shop', message: null } },
      testUser: { at: '2026-01-02T03:04:05.000Z', source: 'earlier', value: { phone: '+15555550100', status: 'no_transactional', subscriberId: 's_1' } },
      keywords: { at: '2026-01-04T00:00:00.000Z', source: 'earlier', value: { keywords: ['JOIN'] } },
      webhooks: { at: '2026-01-04T00:00:00.000Z', source: 'earlier', value: { callbackUrls: [] } },
    });
    // Saved while Postscript was out of reach: nothing was said about it, so nothing is carried over.
    expect(repo.of('offline')).toEqual({ key: null, keywords: null, testUser: null, webhooks: null });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM app_state WHERE key LIKE 'readiness.%'`).get()).toEqual({ n: 0 });
    // Deleting a store deletes what was said about it.
    db.prepare(`DELETE FROM stores WHERE id = 'checked'`).run();
    expect(db.prepare(`SELECT COUNT(*) AS n FROM postscript_evidence`).get()).toEqual({ n: 0 });
    db.close();
  });
});
