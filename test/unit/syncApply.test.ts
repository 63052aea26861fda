/**
 * Team merge on one console's SQLite: per field, the change with the later clock wins, whatever
 * order the changes arrive in; a repeat or an older change does nothing; a removal wins; a change
 * from a clock far ahead is refused and kept with its reason.
 */
import { describe, expect, it, vi } from 'vitest';
import type { openDatabase } from '../../src-main/db/database';
import type { RemoteChange } from '../../src-main/db/syncApply';
import { BASE, edit, fresh, hlc, newStore } from '../helpers/syncChanges';

function applyAll(changes: readonly RemoteChange[]): Record<string, unknown> | undefined {
  const { sync, row } = fresh();
  for (const c of changes) expect(sync.apply(c)).toBeNull();
  return row();
}

describe('team merge: last writer wins per field', () => {
  it('an older change loses only the fields a newer one wrote; its other fields win', () => {
    // Guards against last-writer-wins per row: Ben's later keyword must not undo Ana's rename, nor the reverse.
    const { sync, row } = fresh();
    sync.apply(newStore(0));
    expect(sync.apply(edit(200, 'ben', { keyword: 'VIP' }))).toBeNull();
    expect(sync.apply(edit(100, 'cai', { name: 'Acme Coffee', keyword: 'OLD' }))).toBeNull();
    expect(row()).toEqual({ name: 'Acme Coffee', keyword: 'VIP', skip_word: 'SKIP' });
  });

  it('every order of arrival ends in the same state', () => {
    // Guards against applying whatever arrives last (or first) instead of comparing clocks.
    const changes = [newStore(0), edit(100, 'ana', { name: 'One', keyword: 'A1' }), edit(200, 'ben', { name: 'Two' }), edit(300, 'cai', { keyword: 'C3', skip_word: 'PAUSE' })];
    const orders = [
      [0, 1, 2, 3],
      [0, 3, 2, 1],
      [0, 2, 1, 3],
      [0, 3, 1, 2],
    ];
    for (const order of orders) expect(applyAll(order.map((i) => changes[i]!))).toEqual({ name: 'Two', keyword: 'C3', skip_word: 'PAUSE' });
  });

  it('at the same millisecond the counter decides, then the agent id, the same way on every console', () => {
    // Guards against a tie kept by arrival order (two consoles would end up different).
    const a = edit(100, 'ana', { name: 'By Ana' });
    const b = edit(100, 'ben', { name: 'By Ben' });
    expect(applyAll([newStore(0), a, b])!.name).toBe('By Ben');
    expect(applyAll([newStore(0), b, a])!.name).toBe('By Ben');
    const later = edit(100, 'ana', { name: 'Counter 1' }, 1);
    expect(applyAll([newStore(0), later, b])!.name).toBe('Counter 1');
  });

  it('the same change twice, or one older than what is known, changes nothing and is not refused', () => {
    // Guards against treating a repeat as newer (">=" for ">"): a resent change would overwrite a later local edit.
    const { db, sync, row } = fresh();
    sync.apply(newStore(0));
    const rename = edit(100, 'ana', { name: 'Renamed' });
    expect(sync.apply(rename)).toBeNull();
    db.prepare(`UPDATE stores SET name = 'Local' WHERE id = 's1'`).run(); // not recorded: stands for a change the applier must not redo
    expect(sync.apply(rename)).toBeNull();
    expect(row()!.name).toBe('Local');
    expect(sync.apply(edit(50, 'ben', { name: 'Stale' }))).toBeNull();
    expect(row()!.name).toBe('Local');
    expect(db.prepare('SELECT COUNT(*) AS n FROM sync_rejected').get()).toEqual({ n: 0 });
  });

  it('a removed store stays removed: later edits of it or its triggers are ignored', () => {
    // Guards against an edit that arrives after the removal bringing the store back.
    const { db, sync, row } = fresh();
    sync.apply(newStore(0));
    expect(sync.apply({ ...edit(100, 'ana', { _deleted: 1 }) })).toBeNull();
    expect(row()).toBeUndefined();
    expect(sync.apply(edit(200, 'ben', { name: 'Back?' }))).toBeNull();
    expect(sync.apply({ hlc: hlc(300, 'ben'), agentId: 'ben', entity: 'trigger', rowId: 's1/subscription_created', payload: { store_id: 's1', event_key: 'subscription_created', enabled: 1 } })).toBeNull();
    expect(row()).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM triggers').get()).toEqual({ n: 0 });
  });

  it('a change from a clock more than 5 minutes ahead is refused and kept with the reason', () => {
    // Guards against trusting a far-future clock: that teammate's edits would win every merge from then on.
    const { db, sync, row } = fresh();
    sync.apply(newStore(0));
    const ahead = { ...edit(0, 'eve', { name: 'From the future' }), hlc: `${(Date.now() + 6 * 60_000).toString(16).padStart(12, '0')}-00000000-eve` };
    expect(sync.apply(ahead)).toMatch(/more than 5 minutes ahead/);
    expect(row()!.name).toBe('Acme');
    expect(db.prepare('SELECT agent_id AS agentId, reason FROM sync_rejected').all()).toEqual([{ agentId: 'eve', reason: expect.stringMatching(/5 minutes ahead/) }]);
    // Within 5 minutes is fine (clocks drift a little).
    const near = { ...edit(0, 'eve', { name: 'Near' }), hlc: `${(Date.now() + 4 * 60_000).toString(16).padStart(12, '0')}-00000000-eve` };
    expect(sync.apply(near)).toBeNull();
    expect(row()!.name).toBe('Near');
  });

  it('an invalid field is refused with its reason and nothing of that change is applied', () => {
    // Guards against applying the valid fields of a change that has an invalid one.
    const { sync, row } = fresh();
    sync.apply(newStore(0));
    expect(sync.apply(edit(100, 'ben', { name: 'Half', shop_domain: 'not a domain' }))).toMatch(/shop_domain|myshopify/);
    expect(row()!.name).toBe('Acme');
  });
});

describe('team merge: the other kinds of change (found by mutation testing)', () => {
  const delivery = (ms: number, agent: string, externalId: string, storeId = 's1'): RemoteChange => ({
    hlc: hlc(ms, agent),
    agentId: agent,
    entity: 'delivery',
    rowId: '7',
    payload: {
      id: 7, store_id: storeId, event_key: 'subscription_created', postscript_type: 'Skio_SubscriptionCreated', external_id: externalId, attempt: 1, outcome: 'delivered',
      request_method: 'POST', request_url: 'https://api.postscript.io/api/v2/custom-events', request_headers_json: '{}', request_body: '{}', response_status: 202,
      response_body: '{}', error_code: null, error_message: null, latency_ms: 12, started_at: new Date(BASE + ms).toISOString(), finished_at: null, batch_id: null, will_retry: 0, phone: null,
    },
  });
  const trigger = (ms: number, agent: string, enabled: number, storeId = 's1'): RemoteChange => ({
    hlc: hlc(ms, agent),
    agentId: agent,
    entity: 'trigger',
    rowId: `${storeId}/subscription_created`,
    payload: { store_id: storeId, event_key: 'subscription_created', enabled },
  });

  it('a trigger turned on and off converges on the later change, keyed by store and event', () => {
    // Guards against a trigger keyed wrongly (its store id and event key come from the row id).
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    expect(sync.apply(trigger(200, 'ben', 0))).toBeNull();
    expect(sync.apply(trigger(100, 'ana', 1))).toBeNull();
    expect(db.prepare('SELECT store_id AS s, event_key AS e, enabled FROM triggers').all()).toEqual([{ s: 's1', e: 'subscription_created', enabled: 0 }]);
    expect(sync.apply(trigger(300, 'ana', 1))).toBeNull();
    expect(db.prepare('SELECT enabled FROM triggers').get()).toEqual({ enabled: 1 });
  });

  it('a trigger of a store not known here is refused with the reason', () => {
    const { db, sync } = fresh();
    expect(sync.apply(trigger(100, 'ana', 1, 'nowhere'))).toBe('its store is not known here');
    expect(db.prepare('SELECT COUNT(*) AS n FROM triggers').get()).toEqual({ n: 0 });
  });

  it('a delivery attempt lands once per change, marked with its teammate, whatever its local id', () => {
    // Guards against appending a repeated change twice (one attempt shown as two in the log).
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    expect(sync.apply(delivery(100, 'ben', 'ext-1'))).toBeNull();
    expect(sync.apply(delivery(100, 'ben', 'ext-1'))).toBeNull();
    expect(sync.apply(delivery(110, 'cai', 'ext-2'))).toBeNull(); // same local id 7 on another console
    expect(db.prepare('SELECT external_id AS x, agent_id AS a FROM deliveries ORDER BY external_id').all()).toEqual([
      { x: 'ext-1', a: 'ben' },
      { x: 'ext-2', a: 'cai' },
    ]);
  });

  it('a delivery of an unknown store is refused; of a removed store, dropped quietly', () => {
    const { db, sync } = fresh();
    expect(sync.apply(delivery(100, 'ben', 'ext-1', 'nowhere'))).toBe('its store is not known here');
    sync.apply(newStore(0));
    sync.apply(edit(50, 'ana', { _deleted: 1 }));
    expect(sync.apply(delivery(100, 'ben', 'ext-2'))).toBeNull();
    expect(db.prepare('SELECT COUNT(*) AS n FROM deliveries').get()).toEqual({ n: 0 });
  });

  it('a new store without its name, domain or account is refused, and nothing of it is kept', () => {
    // Guards against inserting a half store (no name in the list, no domain to send for).
    const { db, sync } = fresh();
    const { name: _name, ...noName } = newStore(0).payload;
    expect(sync.apply({ ...newStore(0), payload: noName })).toBe('a new store arrived without its name, domain or account');
    expect(db.prepare('SELECT COUNT(*) AS n FROM stores').get()).toEqual({ n: 0 });
    expect(sync.apply(newStore(10))).toBeNull();
    expect(db.prepare('SELECT created_at AS c FROM stores').get()).toEqual({ c: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
  });

  it('an unknown kind of change is refused and says a newer app may have sent it', () => {
    const { sync } = fresh();
    expect(sync.apply({ hlc: hlc(1, 'ana'), agentId: 'ana', entity: 'hologram', rowId: 'x', payload: {} })).toMatch(/unknown kind of change "hologram"/);
  });

  it('a teammate’s name: the later change wins', () => {
    const { db, sync } = fresh();
    expect(sync.apply({ hlc: hlc(200, 'ben'), agentId: 'ben', entity: 'agent', rowId: 'ben', payload: { name: 'Ben B.' } })).toBeNull();
    expect(sync.apply({ hlc: hlc(100, 'ben'), agentId: 'ben', entity: 'agent', rowId: 'ben', payload: { name: 'Ben' } })).toBeNull();
    expect(db.prepare('SELECT name FROM sync_agents WHERE id = ?').get('ben')).toEqual({ name: 'Ben B.' });
  });

  it('a teammate’s queued send is shown here and follows its state, never in this console’s own outbox', () => {
    // Guards against a teammate's item landing where this console would send it.
    const { db, sync } = fresh();
    sync.apply(newStore(0));
    const item = (ms: number, state: string): RemoteChange => ({
      hlc: hlc(ms, 'ben'),
      agentId: 'ben',
      entity: 'outbox',
      rowId: 'ext-9',
      payload: { store_id: 's1', event_key: 'subscription_created', batch_id: null, state, attempts: state === 'queued' ? 0 : 1, last_error: null, created_ms: BASE, finished_ms: null },
    });
    expect(sync.apply(item(100, 'queued'))).toBeNull();
    expect(sync.apply(item(200, 'delivered'))).toBeNull();
    expect(db.prepare('SELECT external_id AS x, agent_id AS a, store_id AS s, event_key AS e, state, attempts, created_ms AS c FROM team_outbox').all()).toEqual([
      { x: 'ext-9', a: 'ben', s: 's1', e: 'subscription_created', state: 'delivered', attempts: 1, c: BASE },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
  });
});

describe('team merge: an edit made beside another is kept, not lost silently', () => {
  /** Ana's console: the store's name last set by `by` at `ms`. */
  function withName(by: string) {
    const f = fresh();
    f.sync.apply(newStore(0, by));
    return f;
  }
  const conflicts = (db: ReturnType<typeof openDatabase>) =>
    db.prepare('SELECT field, lost_value AS lost, lost_agent AS lostAgent, won_value AS won, won_agent AS wonAgent, mine FROM sync_conflicts').all();

  it('a winning rename made without seeing the name it replaces keeps that name, with both agents', () => {
    // Guards against last-writer-wins dropping a teammate's edit without a trace.
    const { db, sync, row } = withName('ana');
    expect(sync.apply(edit(100, 'ben', { name: 'Ben’s name', _base: {} }))).toBeNull();
    expect(row()!.name).toBe('Ben’s name');
    expect(conflicts(db)).toEqual([{ field: 'name', lost: '"Acme"', lostAgent: 'ana', won: '"Ben’s name"', wonAgent: 'ben', mine: 0 }]);
  });

  it('an edit that saw the version it replaces, the same agent’s own edit, the same value, an unwatched field or no base: nothing kept', () => {
    // Guards against flagging ordinary sequential edits (the agent would be told of conflicts that are not).
    const { db, sync } = withName('ana');
    const known = (db.prepare(`SELECT hlc FROM sync_fields WHERE entity = 'store' AND row_id = 's1' AND field = 'name'`).get() as { hlc: string }).hlc;
    expect(sync.apply(edit(100, 'ben', { name: 'Seen', _base: { name: known } }))).toBeNull();
    expect(sync.apply(edit(200, 'ben', { name: 'Ben again', _base: {} }))).toBeNull(); // replaces Ben's own
    expect(sync.apply(edit(300, 'cai', { name: 'Ben again', _base: {} }))).toBeNull(); // same value
    expect(sync.apply(edit(400, 'dan', { postscript_shop_name: 'Other', _base: {} }))).toBeNull(); // not a hand-edited field
    expect(sync.apply(edit(500, 'eve', { name: 'No base' }))).toBeNull();
    expect(conflicts(db)).toEqual([]);
  });

  it('marks the replaced value as this console’s own when it was', () => {
    // Guards against telling the wrong agent (or nobody) that their edit was replaced.
    const { db, sync } = fresh();
    const node = (db.prepare('SELECT node FROM sync_clock WHERE id = 1').get() as { node: string }).node;
    sync.apply(newStore(0, node));
    expect(sync.apply(edit(100, 'ben', { keyword: 'VIP', _base: {} }))).toBeNull();
    expect(conflicts(db)).toEqual([{ field: 'keyword', lost: '"JOIN"', lostAgent: node, won: '"VIP"', wonAgent: 'ben', mine: 1 }]);
  });
});

describe('team merge: batches and failures that pass', () => {
  it('a teammate’s batch arrives with its author, needs no store, and follows its status', () => {
    const { db, sync } = fresh();
    const batch = (ms: number, status: string): RemoteChange => ({ hlc: hlc(ms, 'ben'), agentId: 'ben', entity: 'batch', rowId: 'b1', payload: { id: 'b1', name: 'Monday', status, created_ms: BASE, finished_ms: null } });
    expect(sync.apply(batch(100, 'running'))).toBeNull();
    expect(sync.apply(batch(200, 'done'))).toBeNull();
    expect(db.prepare('SELECT id, name, status, agent_id AS a FROM batches').all()).toEqual([{ id: 'b1', name: 'Monday', status: 'done', a: 'ben' }]);
  });

  it('a failure that is not the change’s fault (the database unusable) is thrown, not recorded as refused', () => {
    // Guards against recording a passing failure as a permanent refusal: the change would never be applied.
    const { db, sync } = fresh();
    db.close();
    expect(() => sync.apply(newStore(0))).toThrow();
  });

  it('a locked database: the change is thrown back as it failed, nothing is refused, and it applies on the next try', () => {
    // Guards against every coded SQLite error counted as the change's fault (a busy database would lose the change for good).
    const { db, sync, row } = fresh();
    const locked = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const spy = vi.spyOn(db, 'transaction').mockImplementationOnce(() => {
      throw locked;
    });
    expect(() => sync.apply(newStore(0))).toThrow(locked);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sync_rejected').get()).toEqual({ n: 0 });
    spy.mockRestore();
    expect(sync.apply(newStore(0))).toBeNull();
    expect(row()!.name).toBe('Acme');
  });
});
