/**
 * The team-wide delivery log read straight from PostgreSQL (for a lead's tools and the benchmark;
 * each console's own log already holds its teammates' attempts). Newest first, filtered, paged by
 * key on indexes that end in id, so a page costs the same at any depth.
 */
import type { ClientBase } from 'pg';
import { TEAM_SCHEMA } from './pgMigrations';

export interface TeamLogFilter {
  agentId?: string;
  storeId?: string;
  outcome?: string;
}

export interface TeamLogRow {
  id: number;
  agentId: string;
  storeId: string;
  eventKey: string;
  outcome: string;
  responseStatus: number | null;
  startedAt: string;
}

export async function teamLogPage(client: ClientBase, filter: TeamLogFilter, beforeId: number | null, limit: number): Promise<TeamLogRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown): void => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.agentId !== undefined) add('agent_id = ?', filter.agentId);
  if (filter.storeId !== undefined) add('store_id = ?', filter.storeId);
  if (filter.outcome !== undefined) add('outcome = ?', filter.outcome);
  if (beforeId !== null) add('id < ?', beforeId);
  params.push(limit);
  const r = await client.query<{ id: string; agent_id: string; store_id: string; event_key: string; outcome: string; response_status: number | null; started_at: string }>(
    `SELECT id, agent_id, store_id, event_key, outcome, response_status, started_at FROM ${TEAM_SCHEMA}.deliveries
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return r.rows.map((x) => ({
    id: Number(x.id), agentId: x.agent_id, storeId: x.store_id, eventKey: x.event_key, outcome: x.outcome, responseStatus: x.response_status, startedAt: x.started_at,
  }));
}
