/**
 * What the team's owner does from their console (connected with the owner's URL): list, add and
 * remove agents (teamAgents.ts), and rotate the team key after removing one (keyRotation.ts).
 * Every action opens its own connection and checks first that this login owns the team schema.
 */
import type pg from 'pg';
import type { Repository } from '../db/store';
import type { SyncRepository } from '../db/syncRepo';
import { AppError } from '../../src-shared/errors';
import { addAgent, AgentInputError, agentUrl, listAgents, removeAgent, type TeamAgentRow } from './teamAgents';
import { rotateTeamKey, RotationRefused } from './keyRotation';
import { TEAM_SCHEMA } from './pgMigrations/names';
import type { TeamSecretBox } from './teamKey';

export interface TeamOwnerDeps {
  repo: Repository;
  sync: SyncRepository;
  team: TeamSecretBox;
  /** A new connection with this console's saved URL, or an AppError saying why not. */
  connect(): Promise<pg.Client>;
  /** The URL without its password. */
  url(): string | null;
  keepKey(key: Buffer, version: number): void;
  changed(): void;
}

export async function ownsTeamSchema(client: pg.ClientBase): Promise<boolean> {
  const r = await client.query<{ owner: boolean }>(
    `SELECT pg_get_userbyid(relowner) = session_user AS owner FROM pg_class WHERE oid = to_regclass('${TEAM_SCHEMA}.changes')`,
  );
  return r.rows[0]?.owner === true;
}

export class TeamOwner {
  constructor(private readonly deps: TeamOwnerDeps) {}

  private async asOwner<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const client = await this.deps.connect();
    try {
      if (!(await ownsTeamSchema(client))) throw new AppError('conflict', 'Only the team’s owner does this: connect this console with the owner’s URL (from `npm run team-db`).');
      return await fn(client);
    } catch (err) {
      if (err instanceof AgentInputError || err instanceof RotationRefused) throw new AppError('invalid_input', err.message);
      if (err instanceof AppError) throw err;
      // PostgreSQL's refusal, in its words (e.g. a login this owner did not create and may not change).
      throw new AppError('conflict', `The team database refused: ${(err as Error).message}.`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  agents(): Promise<TeamAgentRow[]> {
    return this.asOwner((c) => listAgents(c));
  }

  /** Adds an agent; their URL (with their own password) is shown once, to hand to them. */
  async addAgent(name: string): Promise<{ role: string; url: string }> {
    const made = await this.asOwner((c) => addAgent(c, name));
    this.deps.changed();
    return { role: made.role, url: agentUrl(this.deps.url() ?? '', made.role, made.password) };
  }

  async removeAgent(role: string): Promise<{ sessionsEnded: number }> {
    const r = await this.asOwner((c) => removeAgent(c, role));
    this.deps.changed();
    return r;
  }

  /**
   * A new team key under a new passphrase; every shared secret re-encrypted under it. Returns the
   * stores whose Postscript keys the removed agent could have read (names as this console knows them).
   */
  async rotateKey(newPassphrase: string): Promise<{ version: number; reencrypted: number; unreadable: number; keysToRotate: Array<{ storeId: string; storeName: string; mask: string | null }> }> {
    if (newPassphrase.length < 8) throw new AppError('invalid_input', 'The new team passphrase has at least 8 characters.', 'passphrase');
    const r = await this.asOwner((c) => rotateTeamKey(c, this.deps.team, this.deps.sync, newPassphrase));
    this.deps.keepKey(r.key, r.version);
    this.deps.changed();
    const keysToRotate = r.keysToRotate.map((k) => ({ ...k, storeName: this.deps.repo.getStore(k.storeId)?.name ?? `store ${k.storeId}` }));
    return { version: r.version, reencrypted: r.reencrypted, unreadable: r.unreadable, keysToRotate };
  }
}
