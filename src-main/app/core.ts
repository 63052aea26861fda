/**
 * The main process's services, independent of the shell: database, secrets, the embedded Sandbox,
 * the event bus and the IPC router with every handler module registered. The Electron shell and the
 * browser shell each create one core and bind its router and bus to their transport.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DB_FILE, isCorruption } from '../db/backups';
import { openDatabase, type Db } from '../db/database';
import { DeliveryLog } from '../db/deliveryLog';
import { OutboxRepository } from '../db/outbox';
import { Repository } from '../db/store';
import { registerBatchHandlers } from '../handlers/batches';
import { registerOutboxHandlers } from '../handlers/outbox';
import { registerAppHandlers } from '../handlers/app';
import { registerDeliveryHandlers } from '../handlers/deliveries';
import { registerFileHandlers } from '../handlers/files';
import type { FileActions } from '../handlers/context';
import { registerSandboxHandlers } from '../handlers/sandbox';
import { registerStoreHandlers } from '../handlers/stores';
import { registerTriggerHandlers } from '../handlers/triggers';
import { registerWizardHandlers } from '../handlers/wizard';
import { registerSkipHandlers } from '../handlers/skip';
import { registerDataHealthHandlers } from '../handlers/dataHealth';
import { registerReadinessHandlers } from '../handlers/readiness';
import { StoreHealthRepository } from '../db/storeHealth';
import { HealthWatch } from '../health/watch';
import { WebhookRepository } from '../db/webhooks';
import { WebhookListener, type ListenerLimits } from '../webhooks/listener';
import { followListenerMove, rememberListenerUrl } from '../webhooks/listenerMove';
import { EventBus } from '../ipc/events';
import { Router } from '../ipc/router';
import { FaultLog } from '../logs/faultLog';
import { RetentionPruner } from '../logs/retention';
import { Dispatcher, type DispatcherOptions } from '../outbox/dispatcher';
import { baseUrlFor, routeFor } from '../postscript/accounts';
import { closeSharedPool } from '../postscript/client';
import { DeferredChecks } from '../postscript/deferredChecks';
import { EvidenceRecorder } from '../postscript/evidence';
import { EvidenceRepository } from '../db/postscriptEvidence';
import { SettingsRepository } from '../db/settings';
import { registerSettingsHandlers } from '../handlers/settings';
import { SettingsService } from '../settings/settingsService';
import { CompletionWindowLimiter } from '../ratelimit/completionWindow';
import { Sandbox } from '../sandbox/server';
import { SANDBOX_STATE_FILE } from '../sandbox/stateFile';
import { ChainedSecretBox, type SecretBox } from '../secrets/secretBox';
import { SyncRepository } from '../db/syncRepo';
import { SyncViews } from '../db/syncViews';
import { registerTeamHandlers } from '../handlers/team';
import { TeamSecretBox } from '../team/teamKey';
import { TeamService } from '../team/teamService';
import { KeyUseChecker } from '../outbox/keyUse';
import type { MainContext } from '../handlers/context';
import { defaultSpaceProbe, StorageHealth } from '../storage/health';
import { quickCheckInWorker } from '../storage/quickCheckWorker';
import { DailyBackup } from './dailyBackup';
import { backupsOf, DamagedDatabaseError } from './damagedStart';
import { DataDirLock, explainWriteFailure } from './dataDir';

export interface CoreOptions {
  dataDir: string;
  secrets: SecretBox;
  /** better-sqlite3 binding built for this runtime's ABI, when it is not Node's (Electron). */
  nativeBinding?: string;
  /** Overrides the live Postscript base URL (env POSTSCRIPT_LIVE_BASE_URL); for staging or tests. */
  liveBaseUrl?: string;
  version?: string;
  /** Outbox pacing and retry settings (tests shorten backoff). */
  dispatcher?: DispatcherOptions;
  /** The webhook listener's port (POSTSCRIPT_CONSOLE_WEBHOOK_PORT; 47290 by default; 0 picks a free one). */
  webhookPort?: number;
  /** Where exports go: POSTSCRIPT_CONSOLE_EXPORTS_DIR, else ~/Downloads, else <dataDir>/exports. */
  exportsDir?: string;
  /** Where unexpected errors are recorded (secrets masked); <dataDir>/logs/main.log by default. */
  faults?: FaultLog;
  /** The data directory's lock, when the shell took it before anything else (it does, before its secret box); taken here otherwise. */
  lock?: DataDirLock;
  /** Is there disk space again? (tests); a probe file in the data directory by default. */
  spaceProbe?: () => boolean;
  spaceProbeEveryMs?: number;
  /** Timeouts and connection cap of the webhook listener (tests shorten them). */
  listenerLimits?: Partial<ListenerLimits>;
  /** Electron: prints a report's HTML file to PDF. Without it, reports' PDFs are drawn with pdfkit. */
  printToPdf?: (htmlPath: string) => Promise<Buffer>;
  /** Electron: Show in folder / Open for exported files. Without it, files are downloads (browser shell). */
  fileActions?: FileActions;
  /** Electron: shows a desktop notification from main. Without it, the window shows one. */
  notify?: (title: string, body: string) => void;
  /** The health watch's cycle in ms, overriding the agent's schedule (POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS; tests). */
  healthIntervalMs?: number;
  /** Team sync's slow re-read timer (tests shorten it); env POSTSCRIPT_CONSOLE_TEAM_* configure team mode. */
  teamPollMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Electron: asks the OS which proxy a URL goes through (session.resolveProxy). */
  resolveSystemProxy?: (url: string) => Promise<string | null>;
}

function defaultExportsDir(dataDir: string): string {
  const fromEnv = process.env.POSTSCRIPT_CONSOLE_EXPORTS_DIR;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return path.resolve(fromEnv);
  const downloads = path.join(os.homedir(), 'Downloads');
  return fs.existsSync(downloads) ? downloads : path.join(dataDir, 'exports');
}

export interface Core {
  ctx: MainContext;
  db: Db;
  router: Router;
  bus: EventBus;
  lock: DataDirLock;
  /** Resolves when the start-up integrity check is done (sending waits for it). */
  checked: Promise<void>;
  close(): Promise<void>;
}

/** Opens the database, saying which file and why when it cannot (read-only, damaged). */
function openAppDatabase(options: CoreOptions): Db {
  const file = path.join(options.dataDir, DB_FILE);
  const backups = backupsOf(options.dataDir);
  try {
    return openDatabase(file, { backups, ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }) });
  } catch (err) {
    if (isCorruption(err)) throw new DamagedDatabaseError(file, err instanceof Error ? err.message : String(err), backups.list());
    const code = (err as { code?: unknown }).code;
    // SQLite says "disk I/O error" when it cannot make its WAL or shared-memory file on a full disk.
    const full = typeof code === 'string' && code.startsWith('SQLITE_IOERR') && !defaultSpaceProbe(options.dataDir)();
    throw explainWriteFailure(code === 'SQLITE_CANTOPEN' ? { code: 'EROFS' } : full ? { code: 'ENOSPC' } : err, options.dataDir) ?? err;
  }
}

export async function createCore(options: CoreOptions): Promise<Core> {
  // One app per data directory: nothing is read or written before the lock is ours.
  const lock = options.lock ?? DataDirLock.acquire(options.dataDir);
  try {
    return await startCore(options, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startCore(options: CoreOptions, lock: DataDirLock): Promise<Core> {
  const db = openAppDatabase(options);
  const sandbox = new Sandbox({
    stateFile: path.join(options.dataDir, SANDBOX_STATE_FILE),
    legacyStateJson: path.join(options.dataDir, 'sandbox-state.json'),
    ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
  });
  // The Sandbox is the default account, so it always runs, on a random loopback port.
  await sandbox.listen(0, '127.0.0.1');
  const bus = new EventBus();
  const repo = new Repository(db);
  const outbox = new OutboxRepository(db);
  const log = new DeliveryLog(db);
  const backups = backupsOf(options.dataDir);
  const storage = new StorageHealth({
    dataDir: options.dataDir,
    dbFile: path.join(options.dataDir, DB_FILE),
    db,
    bus,
    backups,
    ...(options.spaceProbe === undefined ? {} : { probe: options.spaceProbe }),
    ...(options.spaceProbeEveryMs === undefined ? {} : { probeEveryMs: options.spaceProbeEveryMs }),
  });
  // Keys shared by teammates arrive encrypted under the team key: the dispatcher reads both kinds.
  const teamBox = new TeamSecretBox();
  const secrets = new ChainedSecretBox(options.secrets, [teamBox]);
  const sync = new SyncRepository(db);
  const pacer = new CompletionWindowLimiter(options.dispatcher?.ratePerToken ?? 15, options.dispatcher?.windowMs ?? 1000);
  const storeHealth = new StoreHealthRepository(db);
  // The context is complete before the dispatcher reads from it.
  const ctx = {
    repo,
    outbox,
    log,
    webhooks: new WebhookRepository(db),
    retention: new RetentionPruner(repo, log, bus),
    exportsDir: options.exportsDir ?? defaultExportsDir(options.dataDir),
    pacer,
    secrets,
    bus,
    sandbox,
    dataDir: options.dataDir,
    storage,
    backups,
    version: options.version ?? '0.1.0',
    storeHealth,
    said: new EvidenceRecorder({ repo, evidence: new EvidenceRepository(db), storeHealth, bus }, options.notify === undefined ? {} : { notify: options.notify }),
    printToPdf: options.printToPdf ?? null,
    fileActions: options.fileActions ?? null,
    sync,
    teamViews: new SyncViews(db),
    team: new TeamService({
      repo, sync, local: options.secrets, secrets, team: teamBox, bus,
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.teamPollMs === undefined ? {} : { pollMs: options.teamPollMs }),
      // Asked at each connect, so a proxy saved in Settings applies at the next try.
      proxyFor: (url) => ctx.settings.teamProxy(url),
    }),
    keys: new KeyUseChecker({
      repo,
      secrets,
      teamUnlocked: () => teamBox.unlocked,
      sandboxKnows: (key) => sandbox.state.shopByPrivateKey(key) !== undefined,
      keyAuthor: (storeId) => ctx.teamViews.keyAuthor(storeId),
    }),
  } as Omit<MainContext, 'dispatcher' | 'listener' | 'watch' | 'settings'> as MainContext;
  const checks = new DeferredChecks(ctx);
  ctx.settings = new SettingsService(
    {
      repo: new SettingsRepository(db),
      secrets,
      bus,
      listener: () => ctx.listener,
      retention: ctx.retention,
      onListenerMoved: async (from, to) => {
        rememberListenerUrl(ctx, to);
        await followListenerMove(ctx, from, to);
      },
      onRouteChanged: () => {
        ctx.team.worker.retryNow();
        ctx.dispatcher.routeChanged();
        void checks.kick();
      },
      ...(options.resolveSystemProxy === undefined ? {} : { resolveSystemProxy: options.resolveSystemProxy }),
    },
    {
      ...(options.liveBaseUrl === undefined ? {} : { liveBaseUrl: options.liveBaseUrl }),
      ...(options.webhookPort === undefined ? {} : { webhookPort: options.webhookPort }),
    },
  );
  // Loopback unless the settings (or POSTSCRIPT_CONSOLE_WEBHOOK_HOST) say otherwise (the user's choice).
  const listenAt = ctx.settings.listenerTarget();
  ctx.listener = new WebhookListener(ctx, listenAt.host, options.listenerLimits);
  const faults = options.faults ?? new FaultLog(options.dataDir);
  ctx.listener.onFault = (where, err) => faults.record(where, err);
  ctx.dispatcher = new Dispatcher(
    { repo, outbox, secrets, bus, pacer, storage, baseUrlFor: (account) => baseUrlFor(ctx, account), routeFor: (account) => routeFor(ctx, account) },
    options.dispatcher,
  );
  // A teammate's rotated key replaces the cached client that holds the old one.
  ctx.team.onTeammateChange = (entities) => {
    if (entities.has('credential') || entities.has('store')) for (const s of repo.listStores()) ctx.dispatcher.forget(s.id);
  };
  // Every write path reports storage failures to one place, which tells the agent and pauses sending.
  sandbox.state.onWriteError = (err) => {
    if (storage.report(err, 'saving the Sandbox') === null) faults.record('sandbox state', err);
  };
  ctx.retention.onError = (err) => {
    if (storage.report(err, 'pruning the delivery log') === null) faults.record('retention', err);
  };
  storage.onResume(() => ctx.dispatcher.resume());
  storage.onResume(() => sandbox.state.changed());
  const daily = new DailyBackup(db, backups, () => storage.allowed(), (err) => {
    if (storage.report(err, 'the daily backup') === null) faults.record('daily backup', err);
  });
  const envHealth = Number(process.env.POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS ?? '');
  const fromEnv = options.healthIntervalMs === undefined && Number.isInteger(envHealth) && envHealth > 0;
  const healthIntervalMs = options.healthIntervalMs ?? (fromEnv ? envHealth : undefined);
  ctx.watch = new HealthWatch(ctx, {
    ...(healthIntervalMs === undefined ? {} : { intervalMs: healthIntervalMs, intervalSetBy: fromEnv ? 'POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS' : 'a launch option' }),
    ...(options.notify === undefined ? {} : { notify: options.notify }),
  });
  const router = new Router();
  router.describeFailure = (err, channel) => storage.report(err, channel);
  registerAppHandlers(router, ctx);
  registerStoreHandlers(router, ctx);
  registerWizardHandlers(router, ctx);
  registerTriggerHandlers(router, ctx);
  registerDeliveryHandlers(router, ctx);
  registerFileHandlers(router, ctx);
  registerSandboxHandlers(router, ctx);
  registerOutboxHandlers(router, ctx);
  registerBatchHandlers(router, ctx);
  registerSkipHandlers(router, ctx);
  registerDataHealthHandlers(router, ctx, db);
  registerReadinessHandlers(router, ctx);
  registerTeamHandlers(router, ctx);
  registerSettingsHandlers(router, ctx);
  router.assertComplete();
  await ctx.listener.start(listenAt.port);
  followMoveSinceLastRun(ctx, (err) => {
    if (storage.report(err, 'moving the webhook registrations') === null) faults.record('listener move', err);
  });
  await ctx.settings.start();
  // Off the main thread; sending waits for it. `ready` lets callers (tests, a shell) wait too.
  const checked = storage.checkAtStart(() => quickCheckInWorker(path.join(options.dataDir, DB_FILE), options.nativeBinding));
  ctx.dispatcher.start();
  ctx.retention.start();
  // After the check: a damaged database must not be copied over good backups.
  void checked.then(() => daily.start());
  // The first backup as soon as the database holds a store.
  bus.onAny((event, payload) => {
    if (event === 'changed' && (payload as { topics: readonly string[] }).topics.includes('stores')) daily.storesChanged();
  });
  ctx.watch.start();
  ctx.team.init();
  checks.start();
  return {
    ctx,
    db,
    router,
    bus,
    lock,
    checked,
    async close() {
      await checked;
      // Stop taking webhooks, let in-flight sends settle (bounded), then the Sandbox and the database go.
      await ctx.listener.stop();
      await ctx.dispatcher.stop();
      await ctx.team.close();
      await ctx.retention.stop();
      await ctx.watch.stop();
      await daily.stop();
      storage.stop();
      await sandbox.close();
      await ctx.settings.network.close();
      await closeSharedPool();
      db.close();
      lock.release();
    },
  };
}

/** The listener came up elsewhere than at the last run: registrations made for the old address follow (in the background). */
function followMoveSinceLastRun(ctx: MainContext, onError: (err: unknown) => void): void {
  const url = ctx.listener.status().url;
  if (url === null) return;
  try {
    const was = rememberListenerUrl(ctx, url);
    if (was !== null) followListenerMove(ctx, was, url).catch(onError);
  } catch (err) {
    onError(err);
  }
}
