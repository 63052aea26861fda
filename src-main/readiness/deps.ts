/** What the readiness checks, the reports and the health watch need of the main process (the app's context has all of it). */
import type { StoreHealthRepository } from '../db/storeHealth';
import type { Repository } from '../db/store';
import type { WebhookRepository } from '../db/webhooks';
import type { EventBus } from '../ipc/events';
import type { AccountDeps } from '../postscript/accounts';
import type { EvidenceRecorder } from '../postscript/evidence';

export interface ReadinessDeps extends AccountDeps {
  repo: Pick<Repository, 'getStore' | 'getCredential' | 'listStores' | 'listTriggers' | 'skioSmsAnswerers' | 'getState' | 'setState'>;
  /** What Postscript last said about each store (read by the checks, written by the re-check and the watch). */
  said: Pick<EvidenceRecorder, 'record' | 'attention' | 'attentionAll' | 'evidenceOf'>;
  webhooks: Pick<WebhookRepository, 'registrations'>;
  storeHealth: StoreHealthRepository;
  /** Where reports are written. */
  exportsDir: string;
  version: string;
  /** Prints a report's HTML file to PDF (Electron); null where pdfkit draws it. */
  printToPdf: ((htmlPath: string) => Promise<Buffer>) | null;
}

export interface WatchDeps extends ReadinessDeps {
  bus: Pick<EventBus, 'emit'>;
}
