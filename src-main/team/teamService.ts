/**
 * Team mode for one console: its configuration (URL without password, TLS, agent name), the
 * secrets it keeps encrypted here (database password, team key derived from the passphrase), the
 * sync worker, and the status the sidebar shows. With no team configured it does nothing and the
 * console works alone as before.
 */
import fs from 'node:fs';
import type pg from 'pg';
import type { Repository } from '../db/store';
import type { HistoryMarks, SyncRepository } from '../db/syncRepo';
import type { EventBus } from '../ipc/events';
import type { SecretBox } from '../secrets/secretBox';
import type { Topic } from '../../src-shared/ipc/contract';
import { AppError } from '../../src-shared/errors';
import { connectTeam, describeTarget, explainPgError, isValidTeamUrl, type TeamConnection, type TlsMode } from './pgConnect';
import { TEAM_SCHEMA } from './pgMigrations';
import { OtherTeamError, readTeamId } from './teamIdentity';
import { ownsTeamSchema, TeamOwner } from './teamOwner';
import type { TeamProxy } from './pgTunnel';
import { conflictNotice } from './conflictNotice';
import { pullAll } from './pull';
import { claimResends, claimUnreachable, type ClaimOutcome } from './resendClaims';
import { SyncWorker, type SyncStatus } from './syncWorker';
import { newestKeyVersion, openTeamKey, WrongPassphrase } from './keyEnvelope';
import type { TeamSecretBox } from './teamKey';

export interface TeamConfig {
  /** Without its password (kept encrypted in sync_secrets). */
  url: string;
  tlsMode: TlsMode;
  caFile: string | null;
  agentName: string;
}

export interface TeamServiceDeps {
  repo: Repository;
  sync: SyncRepository;
  /** This laptop's secret box (encrypts the DB password and the team key at rest). */
  local: SecretBox;
  /** Reads local and team ciphertexts. */
  secrets: SecretBox;
  team: TeamSecretBox;
  bus: EventBus;
  env?: NodeJS.ProcessEnv;
  pollMs?: number;
  /** The proxy to reach the team database at this URL through (the app's network setting), or null. */
  proxyFor?: (url: string) => TeamProxy | null;
}

const CONFIG_KEY = 'team.config';
/** The last team joined, kept after leaving: joining another database starts over there. */
const LAST_TEAM_KEY = 'team.last';
/** Set on leaving: the own history the team already has. Present while team mode is off. */
const LEFT_KEY = 'team.left';
/** The id of the team this console's synced data belongs to (teamIdentity.ts). */
const TEAM_ID_KEY = 'team.id';
const TOPICS: Record<string, Topic[]> = {
  store: ['stores'], trigger: ['stores', 'triggers'], credential: ['stores'], test_subscription: ['skip'], webhook_token: ['skip'],
  batch: ['batches'], outbox: ['outbox', 'batches'], delivery: ['deliveries', 'logStats', 'triggers', 'stores'], inbound: ['skip'], agent: ['stores', 'team'],
};

function splitPassword(url: string): { url: string; password: string | null } {
  const u = new URL(url);
  const password = u.password === '' ? null : decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), password };
}

export class TeamService {
  readonly worker: SyncWorker;
  private config: TeamConfig | null = null;
  private password: string | null = null;
  private envPassphrase: string | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Set by the core: a teammate's change landed (e.g. a rotated key: cached clients go). */
  onTeammateChange: ((entities: Set<string>) => void) | null = null;

  /** The owner's actions (agents, key rotation); refused on an agent's console. */
  readonly owner: TeamOwner;
  /** Whether this console's login owns the team schema (known once connected). */
  isOwner = false;

  constructor(private readonly deps: TeamServiceDeps) {
    this.owner = new TeamOwner({
      repo: deps.repo, sync: deps.sync, team: deps.team,
      connect: () => this.connectNow('The team’s owner acts on the team database, so it needs the connection.'),
      url: () => this.config?.url ?? null,
      keepKey: (key, version) => this.keepKey(key, version),
      changed: () => deps.bus.emit('changed', { topics: ['team', 'stores'] }),
    });
    this.worker = new SyncWorker({
      sync: deps.sync,
      secrets: deps.secrets,
      team: deps.team,
      ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
      onApplied: (entities) => this.applied(entities),
      onStatus: () => deps.bus.emit('changed', { topics: ['team'] }),
      onConnected: (client) => this.onConnected(client),
      eachRound: (client) => this.eachRound(client),
    });
  }

  private applied(entities: Set<string>): void {
    this.onTeammateChange?.(entities);
    // A value this console set that a teammate's concurrent edit replaced: the agent is told once.
    for (const k of this.deps.sync.takeUntoldConflicts()) {
      this.deps.bus.emit('alert', { level: 'warning', message: conflictNotice(k), at: new Date().toISOString() });
    }
    const topics = new Set<Topic>(['team']);
    for (const e of entities) for (const t of TOPICS[e] ?? []) topics.add(t);
    this.deps.bus.emit('changed', { topics: [...topics] });
  }

  /** Joining (again): another team starts over; the same team catches up on connect, then resyncs. */
  private join(otherTeam: boolean): void {
    if (otherTeam) this.startOver();
    else if (this.deps.repo.getState<HistoryMarks>(LEFT_KEY) === null) this.deps.sync.enable();
  }

  /** Loads the saved configuration (or the environment's) and starts syncing if there is one. */
  init(): void {
    const env = this.deps.env ?? process.env;
    const key = this.deps.sync.getSecret('team_key');
    const kept = key === null ? null : this.deps.local.decrypt(key.scheme, key.ciphertext);
    if (kept !== null) {
      // Kept before key versions: the hex of the key alone (version 1).
      const parsed = kept.startsWith('{') ? (JSON.parse(kept) as { key: string; version: number }) : { key: kept, version: 1 };
      this.deps.team.setKey(Buffer.from(parsed.key, 'hex'), parsed.version);
    }
    const envUrl = env.POSTSCRIPT_CONSOLE_TEAM_URL;
    if (envUrl !== undefined && envUrl.trim() !== '') {
      const { url, password } = splitPassword(envUrl.trim());
      this.config = { url, tlsMode: (env.POSTSCRIPT_CONSOLE_TEAM_TLS as TlsMode | undefined) ?? 'disable', caFile: null, agentName: env.POSTSCRIPT_CONSOLE_AGENT ?? 'Agent' };
      this.password = password;
      this.envPassphrase = env.POSTSCRIPT_CONSOLE_TEAM_PASSPHRASE ?? null;
      const last = this.deps.repo.getState<TeamConfig>(LAST_TEAM_KEY);
      this.join(this.otherTeamByAddress(last, url));
      this.deps.repo.setState(LAST_TEAM_KEY, this.config);
      this.deps.sync.setAgentNames([], this.config.agentName);
    } else {
      this.config = this.deps.repo.getState<TeamConfig>(CONFIG_KEY);
      const pw = this.deps.sync.getSecret('db_password');
      this.password = pw === null ? null : this.deps.local.decrypt(pw.scheme, pw.ciphertext);
    }
    this.unsubscribe = this.deps.bus.onAny((event, payload) => {
      // A local write: push soon. (Our own 'team' status events do not count.)
      if (event === 'changed' && (payload as { topics: Topic[] }).topics.some((t) => t !== 'team')) {
        this.worker.wake();
        this.announceSoon();
      }
    });
    if (this.config !== null) this.worker.start(this.connection());
  }

  private connection(): TeamConnection {
    const c = this.config!;
    const u = new URL(c.url);
    if (this.password !== null) u.password = encodeURIComponent(this.password);
    const proxyFor = this.deps.proxyFor;
    return { url: u.toString(), tlsMode: c.tlsMode, caFile: c.caFile, ...(proxyFor === undefined ? {} : { proxy: () => proxyFor(c.url) }) };
  }

  getConfig(): TeamConfig | null {
    return this.config;
  }

  async configure(input: { url: string; tlsMode: TlsMode; caFile: string | null; agentName: string }): Promise<void> {
    const bad = isValidTeamUrl(input.url);
    if (bad !== null) throw new AppError('invalid_input', bad, 'url');
    if (input.tlsMode === 'verify-full' && input.caFile !== null) {
      try {
        fs.accessSync(input.caFile, fs.constants.R_OK);
      } catch {
        throw new AppError('invalid_input', `The CA file ${input.caFile} cannot be read. Choose the PEM file your team's server certificate was issued with.`, 'caFile');
      }
    }
    const { url, password } = splitPassword(input.url.trim());
    // A URL pasted without a password keeps the saved one (the screen never shows it).
    const keep = password ?? (this.config !== null && new URL(this.config.url).username === new URL(url).username ? this.password : null);
    await this.worker.stop();
    const saved = this.config ?? this.deps.repo.getState<TeamConfig>(LAST_TEAM_KEY);
    const otherTeam = this.otherTeamByAddress(saved, url);
    this.otherTeam = null;
    this.confirmedTeam = null;
    this.config = { url, tlsMode: input.tlsMode, caFile: input.caFile, agentName: input.agentName.trim() };
    this.password = keep;
    this.deps.repo.setState(CONFIG_KEY, this.config);
    this.deps.repo.setState(LAST_TEAM_KEY, this.config);
    this.deps.sync.setSecret('db_password', keep === null ? null : { scheme: this.deps.local.scheme, ciphertext: this.deps.local.encrypt(keep) });
    this.join(otherTeam);
    this.deps.sync.setAgentNames([], this.config.agentName);
    this.worker.start(this.connection());
  }

  /**
   * Only a console that joined before teams had ids goes by the address: any other learns on
   * connecting whether the database holds its team (onConnected), whatever the address says.
   */
  private otherTeamByAddress(saved: TeamConfig | null, url: string): boolean {
    return this.deps.repo.getState<string>(TEAM_ID_KEY) === null && saved !== null && describeTarget(saved.url) !== describeTarget(url);
  }

  /** The agent confirmed starting over with the team the database holds (status.otherTeam said what that means). */
  confirmOtherTeam(): void {
    if (this.otherTeam === null) return;
    this.confirmedTeam = this.otherTeam.teamId;
    this.worker.retryNow();
  }

  /** Set while the database holds another team than this console's: nothing is sent there until confirmed. */
  otherTeam: OtherTeamError | null = null;
  private confirmedTeam: string | null = null;

  /** Another team: its own key (the old one decrypts nothing there), everything queued again. */
  private startOver(): void {
    this.deps.team.setKey(null);
    this.deps.sync.setSecret('team_key', null);
    this.deps.sync.rejoin();
    this.deps.repo.deleteState(LEFT_KEY);
  }

  /**
   * Stops syncing, stops recording, and drops what was waiting to go up (the leave confirmation
   * says so): a console that never rejoins does not pile up changes. Rejoining resyncs it all.
   */
  async leave(): Promise<void> {
    await this.worker.stop();
    const marks = this.deps.sync.leave();
    if (marks !== null) this.deps.repo.setState(LEFT_KEY, marks);
    this.config = null;
    this.password = null;
    this.deps.repo.deleteState(CONFIG_KEY);
    this.deps.sync.setSecret('db_password', null);
  }

  /**
   * Checks the passphrase against the team's key check (setting it up when this is the team's
   * first), then keeps the derived key here, encrypted. A wrong one is refused and decrypts nothing.
   */
  async setPassphrase(passphrase: string): Promise<void> {
    if (this.config === null) throw new AppError('invalid_input', 'Connect to the team database first.');
    if (passphrase.length < 8) throw new AppError('invalid_input', 'The team passphrase has at least 8 characters.', 'passphrase');
    const client = await this.connectNow('The passphrase is checked against your team’s, so it needs the connection.');
    try {
      await this.unlock(client, passphrase);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** A connection of its own for one action, or an AppError saying why there is none. */
  private async connectNow(why: string): Promise<pg.Client> {
    if (this.config === null) throw new AppError('invalid_input', 'Connect to the team database first.');
    try {
      return await connectTeam(this.connection());
    } catch (err) {
      throw new AppError('unreachable', `${explainPgError(err, this.config.url)} ${why}`);
    }
  }

  private async unlock(client: pg.Client, passphrase: string): Promise<void> {
    let opened: { key: Buffer; version: number };
    try {
      opened = await openTeamKey(client, passphrase);
    } catch (err) {
      if (err instanceof WrongPassphrase) throw new AppError('invalid_input', err.message, 'passphrase');
      throw err;
    }
    this.keepKey(opened.key, opened.version);
    this.passphraseError = null;
    this.worker.wake();
    this.deps.bus.emit('changed', { topics: ['team', 'stores'] });
  }

  /** A key's fingerprint as the team database holds it, or null without the passphrase here. */
  teamFingerprint(plain: string): string | null {
    return this.deps.team.unlocked ? this.deps.team.fingerprint(plain) : null;
  }

  /** The data key stays here encrypted with this laptop's box, with its version. */
  private keepKey(key: Buffer, version: number): void {
    this.deps.team.setKey(key, version);
    const stored = JSON.stringify({ key: key.toString('hex'), version });
    this.deps.sync.setSecret('team_key', { scheme: this.deps.local.scheme, ciphertext: this.deps.local.encrypt(stored) });
  }

  /**
   * Before each round: teammates' names from the owner's agents table, and the team key's newest
   * version. After the owner rotated it, the old key opens nothing new and PostgreSQL refuses
   * secrets under it, so the console asks for the new passphrase (secrets wait until then).
   */
  private async eachRound(client: pg.Client): Promise<void> {
    const names = (await client.query<{ role: string; display_name: string }>(`SELECT role, display_name FROM ${TEAM_SCHEMA}.agents`)).rows;
    const login = this.worker.login;
    const mine = names.find((n) => n.role === login)?.display_name ?? this.config?.agentName ?? null;
    this.deps.sync.setAgentNames(names.map((n) => ({ id: n.role, name: n.display_name })), mine);
    const newest = await newestKeyVersion(client);
    const have = this.deps.team.version;
    if (have !== null && newest !== null && have < newest) {
      this.deps.team.setKey(null);
      this.deps.sync.setSecret('team_key', null);
      this.passphraseError = 'The team key was changed by your team’s owner: enter the new team passphrase in Settings → Team. Keys shared by teammates are locked until then.';
      this.deps.bus.emit('changed', { topics: ['team', 'stores'] });
    }
  }

  private async onConnected(client: pg.Client): Promise<void> {
    this.isOwner = await ownsTeamSchema(client);
    const id = await readTeamId(client);
    if (id !== null) {
      const known = this.deps.repo.getState<string>(TEAM_ID_KEY);
      if (known !== null && known !== id) {
        if (this.confirmedTeam !== id) {
          this.otherTeam = new OtherTeamError(id, describeTarget(this.config?.url ?? ''));
          throw this.otherTeam;
        }
        this.startOver();
      }
      this.otherTeam = null;
      this.confirmedTeam = null;
      this.deps.repo.setState(TEAM_ID_KEY, id);
    }
    const left = this.deps.repo.getState<HistoryMarks>(LEFT_KEY);
    if (left !== null && !this.deps.sync.isEnabled()) {
      // Back in the same team: teammates' changes made meanwhile land first, so queuing this
      // console's whole state again (with newer clocks) cannot undo their edits.
      await pullAll(client, this.deps.sync, this.deps.sync.agentId(), (r) => {
        if (r.entities.size > 0) this.applied(r.entities);
      });
      this.deps.sync.enable(left);
      this.deps.repo.deleteState(LEFT_KEY);
    }
    if (this.envPassphrase === null || this.deps.team.unlocked) return;
    const passphrase = this.envPassphrase;
    this.envPassphrase = null;
    await this.unlock(client, passphrase).catch((err: unknown) => {
      this.passphraseError = (err as Error).message;
    });
  }

  passphraseError: string | null = null;

  /**
   * Claims failed sends in the team database before they are re-sent (team/resendClaims.ts), on a
   * connection of its own so it never lands inside the sync worker's push transaction. Null when
   * this console is not in a team; throws, in words, when the team database cannot be reached.
   */
  async claimResends(originalSends: readonly string[]): Promise<ClaimOutcome | null> {
    if (this.config === null) return null;
    let client: pg.Client;
    try {
      client = await connectTeam(this.connection());
    } catch (err) {
      throw claimUnreachable(explainPgError(err, this.config.url));
    }
    try {
      return await claimResends(client, originalSends);
    } catch (err) {
      throw claimUnreachable(explainPgError(err, this.config.url));
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  status(): SyncStatus & { configured: boolean; pending: number; waitingForPassphrase: number; rejected: number; lastRejected: string | null; unlocked: boolean } {
    const pending = this.deps.sync.pending();
    const last = this.deps.sync.lastRejected();
    return {
      ...this.worker.status,
      configured: this.config !== null,
      pending: pending.total,
      waitingForPassphrase: this.deps.team.unlocked ? 0 : pending.secrets,
      rejected: this.deps.sync.rejectedCount(),
      lastRejected: last === null ? null : `A change from ${last.agentName ?? 'a teammate'} was not applied: ${last.reason}.`,
      unlocked: this.deps.team.unlocked,
    };
  }

  /** The sidebar's "N changes waiting" follows local edits, at most twice a second (also offline). */
  private announceSoon(): void {
    if (this.config === null || this.announceTimer !== null) return;
    this.announceTimer = setTimeout(() => {
      this.announceTimer = null;
      this.deps.bus.emit('changed', { topics: ['team'] });
    }, 500);
    this.announceTimer.unref();
  }

  private announceTimer: ReturnType<typeof setTimeout> | null = null;

  async close(): Promise<void> {
    if (this.announceTimer !== null) clearTimeout(this.announceTimer);
    this.unsubscribe?.();
    await this.worker.stop();
  }
}
