/**
 * The outbox's two recovery paths on their own: answers kept in memory when they cannot be written
 * (`outbox/unrecorded.ts`), and failing every queued send of a store whose key cannot be used
 * (`outbox/failQueued.ts`). Each test names the wrong change it guards against; the integration
 * suites (diskFull, damagedDb, crashRecovery) prove the same through the whole app.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/database';
import { OutboxRepository } from '../../src-main/db/outbox';
import { Repository } from '../../src-main/db/store';
import { failQueued } from '../../src-main/outbox/failQueued';
import { UnrecordedAnswers, type UnrecordedSend } from '../../src-main/outbox/unrecorded';

const info = (itemId: number): UnrecordedSend => ({ itemId, storeId: 's1', eventKey: 'billing_reminder', outcome: 'delivered', status: 200, at: '2026-12-07T00:00:00.000Z', reason: 'The disk is full' });

describe('UnrecordedAnswers: answers Postscript gave that could not be written yet', () => {
  it('lists every kept answer until it is written; one whose item is gone stays listed', () => {
    // Guards: a written answer still shown as unrecorded; an answer for a deleted item dropped (the agent must still know it was sent).
    const kept = new UnrecordedAnswers();
    expect(kept.recordAll()).toBe(0);
    const writes: number[] = [];
    kept.keep(info(1), () => (writes.push(1), 101));
    kept.keep(info(2), () => (writes.push(2), null));
    kept.keep(info(3), () => (writes.push(3), 103));
    expect(kept.ids()).toEqual([1, 2, 3]);
    expect(kept.recordAll()).toBe(2);
    expect(writes).toEqual([1, 2, 3]);
    expect(kept.ids()).toEqual([2]);
    expect(kept.list()).toEqual([info(2)]);
    expect(kept.recordAll()).toBe(0);
    expect(kept.list()).toEqual([info(2)]);
  });

  it('a storage failure while writing stops at once: that answer and those after it stay kept, those before are written', () => {
    // Guards: the failure swallowed (answers lost), or the ones already written listed again.
    const kept = new UnrecordedAnswers();
    let diskFull = true;
    const tried: number[] = [];
    kept.keep(info(1), () => (tried.push(1), 11));
    kept.keep(info(2), () => {
      tried.push(2);
      if (diskFull) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return 12;
    });
    kept.keep(info(3), () => (tried.push(3), 13));
    expect(() => kept.recordAll()).toThrow('database or disk is full');
    expect(tried).toEqual([1, 2]);
    expect(kept.ids()).toEqual([2, 3]);
    diskFull = false;
    expect(kept.recordAll()).toBe(2);
    expect(kept.list()).toEqual([]);
  });

  it('an item kept twice is one answer, the newer one', () => {
    // Guards: an item listed twice (two unrecorded sends shown for one text).
    const kept = new UnrecordedAnswers();
    kept.keep(info(7), () => null);
    kept.keep({ ...info(7), status: 500, outcome: 'failed' }, () => null);
    expect(kept.list()).toEqual([{ ...info(7), status: 500, outcome: 'failed' }]);
  });
});

function twoStores() {
  const db = openDatabase(':memory:');
  const repo = new Repository(db);
  for (const [id, domain] of [['s1', 'a.myshopify.com'], ['s2', 'b.myshopify.com']] as const) {
    repo.insertStore({
      id, name: `Shop ${id}`, shopDomain: domain, account: 'sandbox', postscriptShopId: '1', postscriptShopName: 'S', testPhone: null, keyword: 'JOIN',
      credential: { kind: 'shop', scheme: 'x', ciphertext: Buffer.from('abc'), mask: 'sk_…abcd', fingerprint: `f${id}`, validatedAt: null },
      triggers: [],
    });
  }
  return { db, outbox: new OutboxRepository(db) };
}

const item = (storeId: string, n: number, eventKey = 'billing_reminder', batchId: string | null = 'b1') => ({ storeId, eventKey, batchId, bodyJson: `{"n":${n}}`, externalId: `${storeId}-${n}` });

describe('failQueued: a store that cannot send at all', () => {
  it('fails every queued send of that store without sending, each with one attempt in the log that says why; other stores are untouched', () => {
    // Guards: items left queued (resent later with a key that cannot work), a send hidden from the log,
    // the reason lost, another store's items failed, or only the first hundred failed.
    const { db, outbox } = twoStores();
    const mine = Array.from({ length: 230 }, (_, n) => item('s1', n));
    outbox.enqueue([...mine, item('s2', 0), item('s1', 999, 'not_in_catalog')], { id: 'b1', name: 'Batch' });
    // One already tried and waiting for a retry an hour from now is failed too.
    db.prepare(`UPDATE outbox SET attempts = 2, next_attempt_ms = ? WHERE external_id = 's1-5'`).run(Date.now() + 3_600_000);

    failQueued(outbox, 's1', 'The key cannot be read on this computer.');

    const states = db.prepare(`SELECT store_id AS s, state, COUNT(*) AS n, MIN(last_error) AS why FROM outbox GROUP BY store_id, state ORDER BY store_id`).all();
    expect(states).toEqual([
      { s: 's1', state: 'failed', n: 231, why: 'The key cannot be read on this computer.' },
      { s: 's2', state: 'queued', n: 1, why: null },
    ]);
    const log = db
      .prepare(`SELECT outbox_id AS o, outcome, request_method AS method, request_url AS url, error_message AS why, response_status AS status, will_retry AS retry, request_body AS body, postscript_type AS type, attempt, batch_id AS batch FROM deliveries ORDER BY id`)
      .all() as Array<{ o: number; outcome: string; method: string; url: string; why: string; status: number | null; retry: number; body: string; type: string; attempt: number; batch: string }>;
    expect(log).toHaveLength(231);
    expect(new Set(log.map((l) => l.o)).size).toBe(231);
    for (const l of log) expect(l).toMatchObject({ outcome: 'failed', why: 'The key cannot be read on this computer.', status: null, retry: 0, batch: 'b1', method: 'POST', url: '/api/v2/events' });
    expect(log[0]).toMatchObject({ body: '{"n":0}', type: 'Skio_BillingReminderNotification', attempt: 1 });
    expect(log.find((l) => l.body === '{"n":5}')?.attempt).toBe(3);
    expect(log.find((l) => l.body === '{"n":999}')?.type).toBe('not_in_catalog');
  });

  it('a batch left with nothing queued is done; one with another store still queued keeps running', () => {
    // Guards: finished batches left "running" forever (the batch screen never ends).
    const { outbox } = twoStores();
    outbox.enqueue([item('s1', 1, 'billing_reminder', 'only')], { id: 'only', name: 'Only s1' });
    outbox.enqueue([item('s1', 2, 'billing_reminder', 'both'), item('s2', 2, 'billing_reminder', 'both')], { id: 'both', name: 'Both' });
    failQueued(outbox, 's1', 'Postscript refused the key (401).');
    expect(outbox.getBatch('only')?.status).toBe('done');
    expect(outbox.getBatch('both')?.status).toBe('running');
    expect(outbox.counts('both')).toMatchObject({ failed: 1, queued: 1 });
  });

  it('with nothing queued it does nothing', () => {
    // Guards: an attempt logged for a store with nothing to send.
    const { db, outbox } = twoStores();
    failQueued(outbox, 's1', 'why');
    expect(db.prepare('SELECT COUNT(*) AS n FROM deliveries').get()).toEqual({ n: 0 });
  });
});
