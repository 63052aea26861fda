import type { DeliveryLog } from '../db/deliveryLog';
import type { StoreHealthRepository } from '../db/storeHealth';
import type { HealthWatch } from '../health/watch';
import type { OutboxRepository } from '../db/outbox';
import type { RetentionPruner } from '../logs/retention';
import type { WebhookRepository } from '../db/webhooks';
import type { WebhookListener } from '../webhooks/listener';
import type { Repository } from '../db/store';
import type { Dispatcher } from '../outbox/dispatcher';
import type { CompletionWindowLimiter } from '../ratelimit/completionWindow';
import type { EventBus } from '../ipc/events';
import type { SecretBox } from '../secrets/secretBox';
import type { Sandbox } from '../sandbox/server';
import type { Backups } from '../db/backups';
import type { StorageHealth } from '../storage/health';
import type { SyncRepository } from '../db/syncRepo';
import type { SyncViews } from '../db/syncViews';
import type { TeamService } from '../team/teamService';
import type { SettingsService } from '../settings/settingsService';
import type { EvidenceRecorder } from '../postscript/evidence';
import type { KeyUseChecker } from '../outbox/keyUse';


/** What the desktop shell does with a file (Electron's shell module); absent in the browser shell. */
export interface FileActions {
  reveal(file: string): void;
  /** Resolves to an error message, or '' when the file was opened (Electron's shell.openPath). */
  open(file: string): Promise<string>;
}

/**
 * What handler modules are given: the services of the main process, independent of the shell.
 * `app/core.ts` builds it; services below the handlers never see it, each asks for the few parts
 * it needs by a narrow type of its own (e.g. `WebhookDeps`, `EnqueueDeps`, `AccountDeps`).
 */
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
  /** Full disk and damaged database: where write paths report, and what pauses sending. */
  storage: StorageHealth;
  backups: Backups;
  /** Settings screen values in effect: live base URL, proxy and CA (the route), listener, retention. */
  settings: SettingsService;
  version: string;
  /** Each store's health history (the watch) and the reads behind readiness checks. */
  storeHealth: StoreHealthRepository;
  /** What Postscript last said about each store: every path that asks writes it, every view reads it. */
  said: EvidenceRecorder;
  /** Re-checks active stores on a schedule. */
  watch: HealthWatch;
  /** Prints a report's HTML file to PDF (Electron's printToPDF); null where pdfkit draws it. */
  printToPdf: ((htmlPath: string) => Promise<Buffer>) | null;
  /** The desktop's Show in folder / Open for exported files; null in the browser shell, which downloads them. */
  fileActions: FileActions | null;
  /** Team mode: sync with the team database (inactive until configured). */
  team: TeamService;
  sync: SyncRepository;
  teamViews: SyncViews;
  /** Whether this console can send with a store's key: refused up front, with the reason, when not. */
  keys: KeyUseChecker;
}

