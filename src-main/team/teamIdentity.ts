/**
 * Which team a database holds, whatever its address: the `team` row's random id, made when the
 * schema was set up. A console keeps the id of the team its data belongs to; a database with the
 * same id is the same team (a typo fixed, a host moved: keep the cursor, upload nothing again), one
 * with another id is another team, joined only after the agent confirms starting over.
 */
import type { ClientBase } from 'pg';
import { TEAM_SCHEMA } from './pgMigrations/names';

export class OtherTeamError extends Error {
  constructor(readonly teamId: string, target: string) {
    super(
      `The database at ${target} holds another team than the one this console is in (its team id differs). ` +
        'Joining it starts over: this console’s stores and history go up to it as new, its history is read from the start, and its team passphrase must be entered. ' +
        'Nothing was sent there. Check the address, or choose “Start over with this team” in Settings → Team.',
    );
  }
}

export async function readTeamId(client: ClientBase): Promise<string | null> {
  return (await client.query<{ id: string }>(`SELECT team_id::text AS id FROM ${TEAM_SCHEMA}.team WHERE id = 1`)).rows[0]?.id ?? null;
}
