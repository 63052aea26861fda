/**
 * Team merge (`src-main/db/syncApply.ts`) at its edges, found by mutation testing: the clock limit
 * to the millisecond, what SQLite itself refuses, keys and webhook tokens sent whole, teammates'
 * received webhooks, the conflict record's filters, and the local clock after a pull. Each test
 * names the wrong change it guards against.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RemoteChange } from '../../src-main/db/syncApply';
import { edit, fresh, hlc, newStore } from '../helpers/syncChanges';

afterEach(() => {
  vi.restoreAllMocks();
});

const hlcAt = (ms: number, agent: string, counter = 0): string => `${ms.toString(16).padStart(12, '0')}-${counter.toString(16).padStart(8, '0')}-${agent}`;

describe('team merge: the clock limit and SQLite’s own refusals', () => {
  it('a clock exactly 5 minutes ahead is accepted; one millisecond more is refused', () => {
    // Guards: the limit made strict (">=") or moved.
    const now = 1_900_000_000_000;
    vi.spyOn(Date, 'now').mockReturnValue(now);
    const { sync, row } = fresh();
    expect(sync.apply({ ...newStore(0), hlc: hlcAt(now - 1000, 'ana') })).toBeNull();
    expect(sync.apply({ ...edit(0, 'eve', { name: 'At the limit' }), hlc: hlcAt(now + 300_000, 'eve') })).toBeNull();
    expect(row()!.name).toBe('At the limit');
    expect(sync.apply({ ...edit(0, 'eve', { name: 'Past it' }), hlc: hlcAt(now + 300_001, 'eve') })).toBe("the teammate's clock is more than 5 minutes ahead");
    expect(row()!.name).toBe('At the limit');
  });

  it('a change the database refuses (a shop domain another store has) is kept with SQLite’s words, once, and the next change still applies', () => {
    // Guards: a constraint failure thrown as passing (the pull would retry it forever and stall), or recorded twice.
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    const twin: RemoteChange = { ...newStore(100, 'ben'), rowId: 's2', payload: { ...newStore(0).payload, id: 's2', name: 'Twin' } };
    const reason = 'it could not be saved here (UNIQUE constraint failed: stores.shop_domain)';
    expect(sync.apply(twin)).toBe(reason);
    expect(sync.apply(twin)).toBe(reason);
    expect(db.prepare('SELECT change_id AS id, agent_id AS agent, entity, row_id AS rowId, payload, reason FROM sync_rejected').all()).toEqual([
      { id: twin.hlc, agent: 'ben', entity: 'store', rowId: 's2', payload: JSON.stringify(twin.payload), reason },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM stores').get()).toEqual({ n: 1 });
    expect(sync.apply(edit(200, 'ben', { name: 'Still merging' }))).toBeNull();
  });

  it('a teammate’s edit marks the row as changed now (updated_at), as a local edit would', () => {
    // Guards: the local "updated_at" left stale (lists sorted by last change would hide the edit).
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    db.prepare(`UPDATE stores SET updated_at = '2000-01-01T00:00:00.000Z'`).run();
    sync.apply(edit(100, 'ben', { keyword: 'VIP' }));
    const at = (db.prepare('SELECT updated_at AS at FROM stores').get() as { at: string }).at;
    expect(Date.parse(at)).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('team merge: what each kind of change may touch', () => {
  it('a new store keeps the creation time its teammate gave it', () => {
    // Guards: created_at written twice (the insert fails) or replaced by the time it arrived here.
    const { db, sync } = fresh();
    expect(sync.apply({ ...newStore(0), payload: { ...newStore(0).payload, created_at: '2026-01-02T03:04:05.000Z' } })).toBeNull();
    expect(db.prepare('SELECT created_at AS c FROM stores').get()).toEqual({ c: '2026-01-02T03:04:05.000Z' });
  });

  it('only a store’s own removal removes it: another kind of change that says "_deleted" does not', () => {
    // Guards: the removal rule applied to every kind of change (a trigger change would delete the whole store).
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    sync.apply({ hlc: hlc(100, 'ben'), agentId: 'ben', entity: 'trigger', rowId: 's1/subscription_created', payload: { store_id: 's1', event_key: 'subscription_created', enabled: 1, _deleted: 1 } });
    sync.apply({ hlc: hlc(200, 'ben'), agentId: 'ben', entity: 'test_subscription', rowId: 's1', payload: { store_id: 's1', phone: '+15555550100', next_billing_date: '2030-01-15', interval_days: 30, skipped_count: 0, _deleted: 1 } });
    expect(db.prepare('SELECT COUNT(*) AS n FROM stores').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM test_subscriptions').get()).toEqual({ n: 1 });
  });

  it('when an agent answered "also sent by SkioSMS" travels with the answer, and goes up with a local one', () => {
    // Guards: the answer's time left behind (a teammate's report would state the answer with no time).
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    const answer: RemoteChange = {
      hlc: hlc(100, 'ben'),
      agentId: 'ben',
      entity: 'trigger',
      rowId: 's1/billing_reminder',
      payload: { store_id: 's1', event_key: 'billing_reminder', enabled: 1, skio_sms_also: 1, skio_sms_noted_at: '2026-12-06T08:00:00.000Z' },
    };
    expect(sync.apply(answer)).toBeNull();
    expect(db.prepare('SELECT skio_sms_also AS also, skio_sms_noted_at AS at FROM triggers').get()).toEqual({ also: 1, at: '2026-12-06T08:00:00.000Z' });
    db.prepare('UPDATE sync_state SET enabled = 1').run();
    db.prepare(`UPDATE triggers SET skio_sms_also = 0, skio_sms_noted_at = '2026-12-07T09:00:00.000Z'`).run();
    const up = db.prepare(`SELECT payload FROM sync_outgoing WHERE entity = 'trigger' ORDER BY id`).all() as Array<{ payload: string }>;
    // One change per field (in whichever order SQLite runs its triggers).
    expect(up).toHaveLength(2);
    expect(up.map((u) => JSON.parse(u.payload) as Record<string, unknown>)).toEqual(
      expect.arrayContaining([
        { store_id: 's1', event_key: 'billing_reminder', skio_sms_also: 0 },
        { store_id: 's1', event_key: 'billing_reminder', skio_sms_noted_at: '2026-12-07T09:00:00.000Z' },
      ]),
    );
  });

  it('a delivery without a store is refused with a reason, not thrown back for ever', () => {
    // Guards: the store lookup run with no id (a passing error: the pull would stall on this change).
    const { sync } = fresh();
    sync.apply(newStore(0));
    const { store_id: _s, ...noStore } = { store_id: 's1', event_key: 'subscription_created', external_id: 'x', attempt: 1, outcome: 'delivered', started_at: new Date().toISOString() };
    expect(sync.apply({ hlc: hlc(100, 'ben'), agentId: 'ben', entity: 'delivery', rowId: '1', payload: noStore })).toMatch(/^it could not be saved here \(NOT NULL constraint failed: deliveries\.store_id\)$/);
  });

  it('after reset(), a store removed here between pulls is looked up again: its teammate’s rows are dropped quietly, not refused', () => {
    // Guards: reset() not forgetting the stores it saw (a removed store's rows would be refused as "could not be saved").
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    const attempt = (ms: number): RemoteChange => ({
      hlc: hlc(ms, 'ben'),
      agentId: 'ben',
      entity: 'delivery',
      rowId: String(ms),
      payload: { store_id: 's1', event_key: 'subscription_created', postscript_type: 'X', external_id: `x${ms}`, attempt: 1, outcome: 'delivered', request_method: 'POST', request_url: '/', request_headers_json: '{}', request_body: '{}', started_at: new Date().toISOString(), will_retry: 0 },
    });
    expect(sync.apply(attempt(100))).toBeNull();
    // This console's agent removes the store between two pulls (its tombstone, as the capture trigger writes it).
    db.prepare(`DELETE FROM stores WHERE id = 's1'`).run();
    db.prepare(`INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id) VALUES ('store', 's1', '_deleted', ?, 'me')`).run(hlc(150, 'me'));
    sync.reset();
    expect(sync.apply(attempt(200))).toBeNull();
    expect(db.prepare('SELECT COUNT(*) AS n FROM sync_rejected').get()).toEqual({ n: 0 });
  });
});

describe('team merge: teammates and their queued sends, checked like everything else', () => {
  it('a teammate without a name, or a queued send in a state this app does not know, is refused saying which field', () => {
    // Guards: the checks run under the wrong kind or field (a nameless teammate accepted; the reason naming nothing).
    const { sync } = fresh();
    sync.apply(newStore(0));
    expect(sync.apply({ hlc: hlc(100, 'ben'), agentId: 'ben', entity: 'agent', rowId: 'ben', payload: {} })).toBe('agent field "name" is missing');
    expect(
      sync.apply({ hlc: hlc(200, 'ben'), agentId: 'ben', entity: 'outbox', rowId: 'ext-1', payload: { store_id: 's1', event_key: 'subscription_created', state: 'teleported', attempts: 0, created_ms: 1 } }),
    ).toBe('outbox field "state" has an unknown value "teleported"');
  });

  it('a teammate’s finished send keeps its batch, its last error and when it finished', () => {
    // Guards: columns of a teammate's send written from the wrong fields (the batch card would miss its reason).
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    const payload = { store_id: 's1', event_key: 'subscription_created', batch_id: 'b9', state: 'failed', attempts: 6, last_error: 'Postscript answered 500', created_ms: 1000, finished_ms: 2000 };
    expect(sync.apply({ hlc: hlc(100, 'ben'), agentId: 'ben', entity: 'outbox', rowId: 'ext-2', payload })).toBeNull();
    expect(db.prepare('SELECT batch_id AS b, last_error AS e, created_ms AS c, finished_ms AS f FROM team_outbox').get()).toEqual({ b: 'b9', e: 'Postscript answered 500', c: 1000, f: 2000 });
  });
});

describe('team merge: a key or a webhook token travels whole', () => {
  const credential = (ms: number, agent: string, mask: string, extra: Record<string, unknown> = {}): RemoteChange => ({
    hlc: hlc(ms, agent),
    agentId: agent,
    entity: 'credential',
    rowId: 's1',
    payload: { store_id: 's1', kind: 'shop', scheme: 'team', ciphertext: 'abcd', mask, fingerprint: `fp-${mask}`, validated_at: null, status: 'valid', checked_at: null, ...extra },
  });
  const key = (db: ReturnType<typeof fresh>['db']) => db.prepare('SELECT mask, fingerprint, hex(ciphertext) AS c, status FROM credentials').all();

  it('the later key wins as one piece (never one key’s mask beside another’s ciphertext); an older or repeated one changes nothing', () => {
    // Guards: a key merged field by field, an older key replacing a newer one, or a repeat re-applied.
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    expect(sync.apply(credential(100, 'ana', 'sk_…aaaa', { ciphertext: 'aa' }))).toBeNull();
    expect(sync.apply(credential(300, 'ben', 'sk_…bbbb', { ciphertext: 'bb', status: 'invalid' }))).toBeNull();
    expect(sync.apply(credential(200, 'cai', 'sk_…cccc', { ciphertext: 'cc' }))).toBeNull();
    expect(key(db)).toEqual([{ mask: 'sk_…bbbb', fingerprint: 'fp-sk_…bbbb', c: 'BB', status: 'invalid' }]);
    db.prepare(`UPDATE credentials SET mask = 'local'`).run(); // stands for a state the repeat must not overwrite
    expect(sync.apply(credential(300, 'ben', 'sk_…bbbb'))).toBeNull();
    expect(key(db)).toEqual([{ mask: 'local', fingerprint: 'fp-sk_…bbbb', c: 'BB', status: 'invalid' }]);
    expect(db.prepare(`SELECT field, agent_id AS agent FROM sync_fields WHERE entity = 'credential'`).all()).toEqual([{ field: '_', agent: 'ben' }]);
  });

  it('a key from an app that does not send a field leaves that field as it is; a base sent with it records no conflict', () => {
    // Guards: the fields a change does not carry overwritten with nothing; keys (no hand-edited fields) treated as watched.
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    sync.apply(credential(100, 'ana', 'sk_…aaaa', { status: 'invalid' }));
    const { status: _status, ...withoutStatus } = credential(200, 'ben', 'sk_…bbbb').payload;
    expect(sync.apply({ ...credential(200, 'ben', 'sk_…bbbb'), payload: { ...withoutStatus, _base: {} } })).toBeNull();
    expect(key(db)).toEqual([{ mask: 'sk_…bbbb', fingerprint: 'fp-sk_…bbbb', c: 'ABCD', status: 'invalid' }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sync_conflicts').get()).toEqual({ n: 0 });
  });

  it('a key with one bad field is refused whole', () => {
    // Guards: the valid fields of a whole change applied without the bad one.
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    sync.apply(credential(100, 'ana', 'sk_…aaaa'));
    expect(sync.apply(credential(200, 'ben', 'sk_…bbbb', { ciphertext: 'not hex' }))).toBe('credential field "ciphertext" is not hex');
    expect(key(db)).toEqual([{ mask: 'sk_…aaaa', fingerprint: 'fp-sk_…aaaa', c: 'ABCD', status: 'valid' }]);
  });
});

describe('team merge: a teammate’s received webhooks', () => {
  const inbound = (ms: number, agent: string, storeId = 's1', extra: Record<string, unknown> = {}): RemoteChange => ({
    hlc: hlc(ms, agent),
    agentId: agent,
    entity: 'inbound',
    rowId: '3',
    payload: { id: 3, received_at: new Date().toISOString(), store_id: storeId, event: 'shop.incoming_message', event_data_id: `e-${ms}`, signature: 'valid', status: 200, action: 'skipped', reason: 'Skipped', from_number: '+15555550100', message: 'SKIP', before_date: '2030-01-15', after_date: '2030-02-14', ...extra },
  });
  const rows = (db: ReturnType<typeof fresh>['db']) => db.prepare('SELECT event_data_id AS e, agent_id AS agent, action, status FROM inbound_webhooks ORDER BY id').all();

  it('land once each with their teammate, whatever their local id', () => {
    // Guards: a repeat appended twice (the SKIP proof counted twice) or the teammate lost.
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    expect(sync.apply(inbound(100, 'ben'))).toBeNull();
    expect(sync.apply(inbound(100, 'ben'))).toBeNull();
    expect(sync.apply(inbound(200, 'cai', 's1', { status: 401, action: 'rejected' }))).toBeNull();
    expect(rows(db)).toEqual([
      { e: 'e-100', agent: 'ben', action: 'skipped', status: 200 },
      { e: 'e-200', agent: 'cai', action: 'rejected', status: 401 },
    ]);
  });

  it('a row this database cannot hold (no status, an action it does not know) is refused and kept with the reason, never dropped silently', () => {
    // Guards: INSERT OR IGNORE, which skips a NOT NULL or CHECK failure as if it were a repeat: apply said
    // "applied" and the teammate's webhook was in no list at all.
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    expect(sync.apply(inbound(100, 'ben', 's1', { status: null }))).toBe('inbound field "status" is missing');
    expect(sync.apply(inbound(200, 'ben', 's1', { action: 'exploded' }))).toMatch(/^it could not be saved here \(CHECK constraint failed/);
    expect(rows(db)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sync_rejected').get()).toEqual({ n: 2 });
  });

  it('of a store not known here: refused; of a removed store: dropped quietly', () => {
    // Guards: a webhook of an unknown store kept with no store, or a removed store's webhook refused (noise in the rejected list).
    const { db, sync } = fresh();
    expect(sync.apply(inbound(100, 'ben', 'nowhere'))).toBe('its store is not known here');
    sync.apply(newStore(0));
    sync.apply(edit(50, 'ana', { _deleted: 1 }));
    expect(sync.apply(inbound(200, 'ben'))).toBeNull();
    expect(rows(db)).toEqual([]);
  });
});

describe('team merge: which replaced values are kept as conflicts', () => {
  const conflicts = (db: ReturnType<typeof fresh>['db']) => db.prepare('SELECT entity, row_id AS rowId, store_id AS storeId, field, lost_value AS lost, won_value AS won FROM sync_conflicts').all();

  it('a value that had no team version (made before team mode) or a change whose base is not an object is replaced without a conflict', () => {
    // Guards: every pre-team value reported as a teammate's lost edit; a malformed base read as "saw nothing".
    const { db, sync } = fresh();
    db.prepare(`INSERT INTO stores (id, name, shop_domain, account, created_at, updated_at) VALUES ('s1', 'Local', 'acme.myshopify.com', 'sandbox', 'x', 'x')`).run();
    expect(sync.apply(edit(100, 'ben', { name: 'Ben', _base: {} }))).toBeNull();
    expect(sync.apply(edit(200, 'cai', { name: 'Cai', _base: null }))).toBeNull();
    expect(sync.apply(edit(300, 'dan', { name: 'Dan', _base: 'x' }))).toBeNull();
    expect(conflicts(db)).toEqual([]);
    expect(sync.apply(edit(400, 'eve', { name: 'Eve', _base: {} }))).toBeNull();
    expect(conflicts(db)).toEqual([{ entity: 'store', rowId: 's1', storeId: 's1', field: 'name', lost: '"Dan"', won: '"Eve"' }]);
  });

  it('a field agents do not edit by hand (the shop’s name in Postscript) is replaced without a conflict, even beside another edit', () => {
    // Guards: every field watched (the agent told of "conflicts" in values Postscript itself sets).
    const { db, sync } = fresh();
    sync.apply({ ...newStore(0), payload: { ...newStore(0).payload, postscript_shop_name: 'Acme PS' } });
    expect(sync.apply(edit(100, 'ben', { postscript_shop_name: 'Acme Postscript', _base: {} }))).toBeNull();
    expect(conflicts(db)).toEqual([]);
  });

  it('a value cleared, or set where there was none, is a conflict too; a trigger’s and a test subscription’s name their store', () => {
    // Guards: null compared as "the same value"; a trigger conflict filed under the wrong store (the row id is store/event).
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    sync.apply(edit(10, 'ana', { test_phone: '+15555550100' }));
    expect(sync.apply(edit(100, 'ben', { test_phone: null, _base: {} }))).toBeNull();
    expect(sync.apply(edit(200, 'cai', { test_phone: '+15555550111', _base: {} }))).toBeNull();
    const trigger = (ms: number, agent: string, enabled: number): RemoteChange => ({
      hlc: hlc(ms, agent),
      agentId: agent,
      entity: 'trigger',
      rowId: 's1/subscription_created',
      payload: { store_id: 's1', event_key: 'subscription_created', enabled, _base: {} },
    });
    sync.apply(trigger(300, 'ana', 1));
    sync.apply(trigger(400, 'ben', 0));
    const sub = (ms: number, agent: string, phone: string): RemoteChange => ({
      hlc: hlc(ms, agent),
      agentId: agent,
      entity: 'test_subscription',
      rowId: 's1',
      payload: { store_id: 's1', phone, next_billing_date: '2030-01-15', interval_days: 30, skipped_count: 0, _base: {} },
    });
    sync.apply(sub(500, 'ana', '+15555550100'));
    sync.apply(sub(600, 'ben', '+15555550122'));
    expect(conflicts(db)).toEqual([
      { entity: 'store', rowId: 's1', storeId: 's1', field: 'test_phone', lost: '"+15555550100"', won: 'null' },
      { entity: 'store', rowId: 's1', storeId: 's1', field: 'test_phone', lost: 'null', won: '"+15555550111"' },
      { entity: 'trigger', rowId: 's1/subscription_created', storeId: 's1', field: 'enabled', lost: '1', won: '0' },
      { entity: 'test_subscription', rowId: 's1', storeId: 's1', field: 'phone', lost: '"+15555550100"', won: '"+15555550122"' },
    ]);
  });
});

describe('team merge: this console’s clock after a pull', () => {
  it('moves to the newest change seen, keeps the larger counter at the same millisecond, and never goes back', () => {
    // Guards: a later local change sorting before a teammate's (its edit would lose to an older one).
    const { db, sync } = fresh();
    const clock = () => db.prepare('SELECT ms, counter FROM sync_clock WHERE id = 1').get();
    db.prepare('UPDATE sync_clock SET ms = 1000, counter = 5 WHERE id = 1').run();
    sync.mergeClock(hlcAt(2000, 'ben', 3));
    expect(clock()).toEqual({ ms: 2000, counter: 3 });
    sync.mergeClock(hlcAt(2000, 'cai', 9));
    expect(clock()).toEqual({ ms: 2000, counter: 9 });
    sync.mergeClock(hlcAt(2000, 'dan', 4));
    expect(clock()).toEqual({ ms: 2000, counter: 9 });
    sync.mergeClock(hlcAt(1500, 'eve', 50));
    expect(clock()).toEqual({ ms: 2000, counter: 9 });
  });
});
