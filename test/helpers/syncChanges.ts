/** Teammates' changes as the team database hands them to `SyncApplier`, for the team-merge unit tests. */
import { openDatabase } from '../../src-main/db/database';
import { SyncApplier, type RemoteChange } from '../../src-main/db/syncApply';

export const BASE = Date.now() - 60_000;
/** A hybrid logical clock value as the team database orders them: ms, counter, agent id. */
export const hlc = (ms: number, agent: string, counter = 0): string => `${(BASE + ms).toString(16).padStart(12, '0')}-${counter.toString(16).padStart(8, '0')}-${agent}`;

export const newStore = (ms: number, agent = 'ana'): RemoteChange => ({
  hlc: hlc(ms, agent),
  agentId: agent,
  entity: 'store',
  rowId: 's1',
  payload: { id: 's1', name: 'Acme', shop_domain: 'acme.myshopify.com', account: 'sandbox', keyword: 'JOIN', skip_word: 'SKIP' },
});
export const edit = (ms: number, agent: string, payload: Record<string, unknown>, counter = 0): RemoteChange => ({
  hlc: hlc(ms, agent, counter),
  agentId: agent,
  entity: 'store',
  rowId: 's1',
  payload: { id: 's1', ...payload },
});

export function fresh(): { db: ReturnType<typeof openDatabase>; sync: SyncApplier; row: () => Record<string, unknown> | undefined } {
  const db = openDatabase(':memory:');
  const sync = new SyncApplier(db);
  return { db, sync, row: () => db.prepare('SELECT name, keyword, skip_word FROM stores WHERE id = ?').get('s1') as Record<string, unknown> | undefined };
}
