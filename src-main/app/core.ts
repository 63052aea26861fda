/**
 * The main process's services, independent of the shell: database, secrets, the embedded Sandbox,
 * the event bus and the IPC router with every handler module registered. The Electron shell and the
 * browser shell each create one core and bind its router and bus to their transport.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../db/database';
import { DeliveryLog } from '../db/deliveryLog';
import { OutboxRepository } from '../db/outbox';
import { Repository } from '../db/store';
import { registerBatchHandlers } from '../handlers/batches';
import { registerOutboxHandlers } from '../handlers/outbox';
import { registerAppHandlers } from '../handlers/app';
import { registerDeliveryHandlers } from '../handlers/deliveries';
import { registerSandboxHandlers } from '../handlers/sandbox';
import { registerStoreHandlers } from '../handlers/stores';
import { registerTriggerHandlers } from '../handlers/triggers';
import { registerWizardHandlers } from '../handlers/wizard';
import { registerSkipHandlers } from '../handlers/skip';
import { WebhookRepository } from '../db/webhooks';
import { WebhookListener } from '../webhooks/listener';
import { EventBus } from '../ipc/events';
import { Router } from '../ipc/router';
import { FaultLog } from '../logs/faultLog';
import { RetentionPruner } from '../logs/retention';
import { Dispatcher, type DispatcherOptions } from '../outbox/dispatcher';
import { baseUrlFor } from '../postscript/accounts';
import { closeDefaultDispatcher, LIVE_BASE_URL } from '../postscript/client';
import { CompletionWindowLimiter } from '../ratelimit/completionWindow';
import { Sandbox } from '../sandbox/server';
import type { SecretBox } from '../secrets/secretBox';
import type { MainContext } from '../handlers/context';

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
}

export const DEFAULT_WEBHOOK_PORT = 47290;

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
  close(): Promise<void>;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const db = openDatabase(path.join(options.dataDir, 'console.sqlite3'), options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding });
  const sandbox = new Sandbox({ stateFile: path.join(options.dataDir, 'sandbox-state.json') });
  // The Sandbox is the default account, so it always runs, on a random loopback port.
  await sandbox.listen(0, '127.0.0.1');
  const bus = new EventBus();
  const repo = new Repository(db);
  const outbox = new OutboxRepository(db);
  const log = new DeliveryLog(db);
  const secrets = options.secrets;
  const pacer = new CompletionWindowLimiter(options.dispatcher?.ratePerToken ?? 15, options.dispatcher?.windowMs ?? 1000);
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
    liveBaseUrl: options.liveBaseUrl ?? process.env.POSTSCRIPT_LIVE_BASE_URL ?? LIVE_BASE_URL,
    version: options.version ?? '0.1.0',
  } as Omit<MainContext, 'dispatcher' | 'listener'> as MainContext;
  // Loopback unless POSTSCRIPT_CONSOLE_WEBHOOK_HOST says otherwise (the user's choice).
  ctx.listener = new WebhookListener(ctx, process.env.POSTSCRIPT_CONSOLE_WEBHOOK_HOST ?? '127.0.0.1');
  const faults = options.faults ?? new FaultLog(options.dataDir);
  ctx.listener.onFault = (where, err) => faults.record(where, err);
  ctx.dispatcher = new Dispatcher({ repo, outbox, secrets, bus, pacer, baseUrlFor: (account) => baseUrlFor(ctx, account) }, options.dispatcher);
  const router = new Router();
  registerAppHandlers(router, ctx);
  registerStoreHandlers(router, ctx);
  registerWizardHandlers(router, ctx);
  registerTriggerHandlers(router, ctx);
  registerDeliveryHandlers(router, ctx);
  registerSandboxHandlers(router, ctx);
  registerOutboxHandlers(router, ctx);
  registerBatchHandlers(router, ctx);
  registerSkipHandlers(router, ctx);
  router.assertComplete();
  const envPort = process.env.POSTSCRIPT_CONSOLE_WEBHOOK_PORT;
  await ctx.listener.start(options.webhookPort ?? (envPort !== undefined && envPort !== '' ? Number(envPort) : DEFAULT_WEBHOOK_PORT));
  ctx.dispatcher.start();
  ctx.retention.start();
  return {
    ctx,
    db,
    router,
    bus,
    async close() {
      // Stop taking webhooks, let in-flight sends settle (bounded), then the Sandbox and the database go.
      await ctx.listener.stop();
      await ctx.dispatcher.stop();
      await ctx.retention.stop();
      await sandbox.close();
      await closeDefaultDispatcher();
      db.close();
    },
  };
}
