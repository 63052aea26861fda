/** Go-live: readiness checks per store, the report (HTML + PDF), the health watch and its history. */
import { z } from 'zod';
import { channel, Empty, id, Ok } from './channel';

/**
 * `unchecked`: the evidence was never obtained (Postscript never asked, a test never sent): neither a pass nor a fail.
 * `na`: the check does not apply to this store (a Sandbox store has no live webhook to check).
 * `noted`: what the agent recorded in the app, not something the app verified. Neither counts as passed.
 */
export const CheckStatus = z.enum(['pass', 'warn', 'fail', 'unchecked', 'na', 'noted']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const ReadinessCheck = z.object({
  /** Stable per check (`key`, `test_user`, `event:<key>`, …), for tests and anchors. */
  id: z.string(),
  title: z.string(),
  status: CheckStatus,
  /** What was seen, in words (masks only, never a secret). */
  evidence: z.string(),
  /** When the evidence was gathered; null when there is none yet. */
  at: z.string().nullable(),
  /** What to do about a warn or fail; null for a pass. */
  action: z.string().nullable(),
  /** Longer evidence shown as code: the payload sent, Postscript's answer. */
  details: z.array(z.object({ label: z.string(), text: z.string() })),
});
export type ReadinessCheck = z.infer<typeof ReadinessCheck>;

export const HealthStatus = z.enum(['green', 'amber', 'red']);
export type HealthStatus = z.infer<typeof HealthStatus>;

export const HealthRecord = z.object({
  id: z.number().int(),
  storeId: z.string(),
  checkedAt: z.string(),
  status: HealthStatus,
  /** What is wrong, one line each; empty when green. */
  problems: z.array(z.string()),
  /** What started the check: the watch's schedule or the agent. */
  cause: z.enum(['schedule', 'manual']),
});
export type HealthRecord = z.infer<typeof HealthRecord>;

export const StoreReadiness = z.object({
  storeId: z.string(),
  storeName: z.string(),
  shopDomain: z.string(),
  account: z.enum(['sandbox', 'live']),
  postscriptShopName: z.string().nullable(),
  /** `key ending a1b2`: the report never carries the key's prefix or body. */
  keyHint: z.string().nullable(),
  generatedAt: z.string(),
  overall: CheckStatus,
  checks: z.array(ReadinessCheck),
  /**
   * The store's health now, derived from what Postscript last said (the same source as the
   * stores list's badge and the "Needs attention" count), not the health watch's last record.
   */
  health: z.object({ status: HealthStatus, checkedAt: z.string(), problems: z.array(z.string()) }).nullable(),
});
export type StoreReadiness = z.infer<typeof StoreReadiness>;

export const WatchSettings = z.object({
  enabled: z.boolean(),
  /** Minutes between two runs of the watch (a day by default). */
  intervalMinutes: z.number().int().min(5, 'Check at most every 5 minutes.').max(60 * 24 * 30, 'Check at least every 30 days.'),
  /** A store needs a delivered event within this many days. */
  successWithinDays: z.number().int().min(1, 'At least 1 day.').max(365, 'At most 365 days.'),
});
export type WatchSettings = z.infer<typeof WatchSettings>;

export const WatchStatus = z.object({
  settings: WatchSettings,
  running: z.boolean(),
  lastRunAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  /** Postscript endpoints that could not be reached: their stores wait, and are not marked red for it. */
  waitingFor: z.array(z.string()),
  /**
   * Active stores whose key (or Test Event User) was saved while Postscript was out of reach and
   * has not been checked yet: the watch skips them, so they are never marked red for it.
   */
  notYetChecked: z.array(z.object({ storeId: z.string(), storeName: z.string() })),
  /** The schedule in force when a launch setting overrides the agent's (null: the agent's setting). */
  intervalOverride: z.object({ ms: z.number().int(), setBy: z.string() }).nullable(),
  /** Latest health per store (stores never checked are absent). */
  stores: z.array(z.object({ storeId: z.string(), status: HealthStatus, checkedAt: z.string(), problems: z.array(z.string()) })),
});
export type WatchStatus = z.infer<typeof WatchStatus>;

const ReportFiles = z.object({ htmlPath: z.string(), pdfPath: z.string() });

export const readinessChannels = {
  /** The store's checks, from what the app already knows (no network). */
  get: channel(z.object({ storeId: id }), StoreReadiness),
  /** Re-checks the store with Postscript (key, Test Event User, keywords, webhooks), then its checks. */
  recheck: channel(z.object({ storeId: id }), StoreReadiness),
  /** Writes the store's report to the exports folder as HTML and PDF. */
  report: channel(z.object({ storeId: id }), ReportFiles),
  /** One line per store of the batch, plus totals, as HTML and PDF. */
  batchReport: channel(z.object({ batchId: id }), ReportFiles.extend({ stores: z.number().int(), skipped: z.number().int() })),
  watchStatus: channel(Empty, WatchStatus),
  setWatch: channel(WatchSettings.partial(), WatchStatus),
  /** Runs the watch now, for every active store or one. */
  runWatch: channel(z.object({ storeId: id.optional() }), WatchStatus),
  history: channel(z.object({ storeId: id, limit: z.number().int().min(1).max(500).default(30) }), z.array(HealthRecord)),
  /** Sandbox stores only: the Sandbox stops accepting the store's key, as if revoked in Postscript. */
  revokeSandboxKey: channel(z.object({ storeId: id }), Ok),
} as const;

/** Pushed when a store turns red. `notified`: main already showed a desktop notification (Electron). */
export const healthAlertEvent = z.object({
  storeId: z.string(),
  storeName: z.string(),
  problems: z.array(z.string()),
  at: z.string(),
  notified: z.boolean(),
});
export type HealthAlert = z.infer<typeof healthAlertEvent>;
