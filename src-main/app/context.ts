import type { DeliveryLog } from '../db/deliveryLog';
import type { OutboxRepository } from '../db/outbox';
import type { RetentionPruner } from '../logs/retention';
import type { WebhookRepository } from '../db/webhooks';
import type { WebhookListener } from '../webhooks/listener';
import { AppError } from '../../src-shared/errors';
import type { Repository, StoreRow } from '../db/store';
import type { Dispatcher } from '../outbox/dispatcher';
import type { CompletionWindowLimiter } from '../ratelimit/completionWindow';
import type { EventBus } from '../ipc/events';
import type { SecretBox } from '../secrets/secretBox';
import type { Sandbox } from '../sandbox/server';

/** What handler modules are given: the services of the main process, independent of the shell. */
export interface MainContext {
  repo: Repository;
  outbox: OutboxRepository;
  log: DeliveryLog;
  webhooks: WebhookRepository;
  /** The local endpoint for Postscript's webhooks (SKIP). */
  listener: WebhookListener;
  retention: RetentionPruner;
  /** Where exports are written (the user's Downloads folder when there is one). */
  exportsDir: string;
  dispatcher: Dispatcher;
  /** One pacer per API token for every Postscript call the app makes (keyed by key fingerprint). */
  pacer: CompletionWindowLimiter;
  secrets: SecretBox;
  bus: EventBus;
  sandbox: Sandbox;
  dataDir: string;
  /** Base URL used for stores on the live account (Postscript itself unless overridden). */
  liveBaseUrl: string;
  version: string;
}

/** The store, or the error an agent sees when it was removed meanwhile (another window, a batch). */
export function requireStore(ctx: Pick<MainContext, 'repo'>, storeId: string): StoreRow {
  const row = ctx.repo.getStore(storeId);
  if (row === undefined) throw new AppError('not_found', 'This store no longer exists.');
  return row;
}
