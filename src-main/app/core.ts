/**
 * The main process's services, independent of the shell: database, secrets, the embedded Sandbox,
 * the event bus and the IPC router with every handler module registered. The Electron shell and the
 * browser shell each create one core and bind its router and bus to their transport.
 */
import path from 'node:path';
import { openDatabase } from '../db/database';
import { Repository } from '../db/store';
import { registerAppHandlers } from '../handlers/app';
import { registerDeliveryHandlers } from '../handlers/deliveries';
import { registerSandboxHandlers } from '../handlers/sandbox';
import { registerStoreHandlers } from '../handlers/stores';
import { registerTriggerHandlers } from '../handlers/triggers';
import { EventBus } from '../ipc/events';
import { Router } from '../ipc/router';
import { closeDefaultDispatcher, LIVE_BASE_URL } from '../postscript/client';
import { Sandbox } from '../sandbox/server';
import type { SecretBox } from '../secrets/secretBox';
import type { MainContext } from './context';

export interface CoreOptions {
  dataDir: string;
  secrets: SecretBox;
  /** better-sqlite3 binding built for this runtime's ABI, when it is not Node's (Electron). */
  nativeBinding?: string;
  /** Overrides the live Postscript base URL (env POSTSCRIPT_LIVE_BASE_URL); for staging or tests. */
  liveBaseUrl?: string;
  version?: string;
}

export interface Core {
  ctx: MainContext;
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
  const ctx: MainContext = {
    repo: new Repository(db),
    secrets: options.secrets,
    bus,
    sandbox,
    dataDir: options.dataDir,
    liveBaseUrl: options.liveBaseUrl ?? process.env.POSTSCRIPT_LIVE_BASE_URL ?? LIVE_BASE_URL,
    version: options.version ?? '0.1.0',
  };
  const router = new Router();
  registerAppHandlers(router, ctx);
  registerStoreHandlers(router, ctx);
  registerTriggerHandlers(router, ctx);
  registerDeliveryHandlers(router, ctx);
  registerSandboxHandlers(router, ctx);
  router.assertComplete();
  return {
    ctx,
    router,
    bus,
    async close() {
      await sandbox.close();
      await closeDefaultDispatcher();
      db.close();
    },
  };
}
