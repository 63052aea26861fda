/**
 * The one IPC contract. Each channel is declared once, with the schema of its input and output.
 * Main validates every input against it at the boundary; both shells (Electron IPC and the browser
 * shell's loopback HTTP) carry exactly these channels and push events, and nothing else.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { StoreConfigFile } from '../storeConfig';

const id = z.string().min(1).max(100);

export const Account = z.enum(['sandbox', 'live']);
export type Account = z.infer<typeof Account>;

export const DeliveryOutcome = z.enum(['delivered', 'failed', 'rate_limited', 'uncertain']);
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;

export const OutboxState = z.enum(['queued', 'in_flight', 'delivered', 'failed', 'uncertain', 'cancelled']);
export type OutboxState = z.infer<typeof OutboxState>;

export const SetupStep = z.enum(['user', 'events', 'test', 'done']);
export type SetupStep = z.infer<typeof SetupStep>;
export const TestUserStatus = z.enum(['ok', 'not_found', 'no_transactional']);
export type TestUserStatus = z.infer<typeof TestUserStatus>;

export const TriggerState = z.object({
  eventKey: z.string(),
  /** The merchant also sends this event through SkioSMS: the subscriber could get two texts. */
  skioSmsAlso: z.boolean(),
  /** Test sends waiting in the outbox (queued or in flight) for this event. */
  pending: z.number().int(),
  enabled: z.boolean(),
  settings: z.object({ daysBefore: z.number().int().optional() }),
  lastSuccessAt: z.string().nullable(),
  lastOutcome: DeliveryOutcome.nullable(),
  lastError: z.string().nullable(),
});
export type TriggerState = z.infer<typeof TriggerState>;

export const StoreSummary = z.object({
  id: z.string(),
  name: z.string(),
  shopDomain: z.string(),
  account: Account,
  postscriptShopName: z.string().nullable(),
  keyMask: z.string().nullable(),
  keyStatus: z.enum(['valid', 'invalid']).nullable(),
  keyword: z.string().nullable(),
  testPhone: z.string().nullable(),
  testUserStatus: TestUserStatus.nullable(),
  enabledEvents: z.number().int(),
  /** Enabled events with at least one delivered test. */
  testedEvents: z.number().int(),
  setupStep: SetupStep,
  /** Key valid, Test Event User able to receive, at least one event on, every enabled event tested. */
  setupComplete: z.boolean(),
  archived: z.boolean(),
  createdAt: z.string(),
});
export type StoreSummary = z.infer<typeof StoreSummary>;

export const StoreDetail = StoreSummary.extend({
  postscriptShopId: z.string().nullable(),
  keyValidatedAt: z.string().nullable(),
  keyCheckedAt: z.string().nullable(),
  testSubscriberId: z.string().nullable(),
  testUserCheckedAt: z.string().nullable(),
  triggers: z.array(TriggerState),
});
export type StoreDetail = z.infer<typeof StoreDetail>;

export const Delivery = z.object({
  id: z.number().int(),
  storeId: z.string(),
  storeName: z.string(),
  eventKey: z.string(),
  postscriptType: z.string(),
  externalId: z.string(),
  attempt: z.number().int(),
  outcome: DeliveryOutcome,
  requestMethod: z.string(),
  requestUrl: z.string(),
  /** Headers as sent, with every secret masked. */
  requestHeaders: z.record(z.string(), z.string()),
  requestBody: z.string(),
  responseStatus: z.number().int().nullable(),
  responseBody: z.string().nullable(),
  errorCode: z.number().int().nullable(),
  errorMessage: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outboxId: z.number().int().nullable(),
  batchId: z.string().nullable(),
  phone: z.string().nullable(),
  /** This attempt failed and the outbox will try again by itself. */
  willRetry: z.boolean(),
});
export type Delivery = z.infer<typeof Delivery>;

/** A delivery-log list row: everything but bodies and headers (those come with `deliveries.get`). */
export const LogRow = z.object({
  id: z.number().int(),
  storeId: z.string(),
  storeName: z.string(),
  eventKey: z.string(),
  externalId: z.string(),
  phone: z.string().nullable(),
  attempt: z.number().int(),
  outcome: DeliveryOutcome,
  responseStatus: z.number().int().nullable(),
  errorCode: z.number().int().nullable(),
  errorMessage: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  startedAt: z.string(),
  batchId: z.string().nullable(),
  outboxId: z.number().int().nullable(),
  willRetry: z.boolean(),
});
export type LogRow = z.infer<typeof LogRow>;

const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'Use a date and time like 2026-11-24T09:00.');
export const LogFilter = z.object({
  storeId: z.string().min(1).max(100).optional(),
  eventKey: z.string().min(1).max(100).optional(),
  outcome: DeliveryOutcome.optional(),
  status: z.number().int().min(100).max(599).optional(),
  batchId: z.string().min(1).max(100).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  /** A phone (any format, matched exactly), an external_id or its start, or text in error messages. */
  q: z.string().trim().min(3, 'Type at least 3 characters to search.').max(200).optional(),
});
export type LogFilter = z.infer<typeof LogFilter>;

export const LogStats = z.object({
  dbBytes: z.number().int(),
  oldestAt: z.string().nullable(),
  retentionDays: z.number().int(),
});
export type LogStats = z.infer<typeof LogStats>;

export const OutboxItem = z.object({
  id: z.number().int(),
  storeId: z.string(),
  storeName: z.string(),
  eventKey: z.string(),
  batchId: z.string().nullable(),
  externalId: z.string(),
  state: OutboxState,
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

const Counts = z.object({
  queued: z.number().int(),
  in_flight: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  uncertain: z.number().int(),
  cancelled: z.number().int(),
});
export type Counts = z.infer<typeof Counts>;

export const OutboxStatus = z.object({
  /** False while any endpoint with waiting sends is unreachable. */
  online: z.boolean(),
  offline: z.array(z.object({ endpoint: z.string(), since: z.string(), reason: z.string() })),
  /** Sends queued or in flight. */
  waiting: z.number().int(),
  uncertain: z.number().int(),
});
export type OutboxStatus = z.infer<typeof OutboxStatus>;

export const BatchStatus = z.enum(['running', 'paused', 'cancelled', 'done']);
export const BatchSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: BatchStatus,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  rerunOf: z.string().nullable(),
  total: z.number().int(),
  counts: Counts,
  /** Items finished per second over the last ten seconds. */
  ratePerSecond: z.number(),
  /** Estimated seconds left at the current rate; null when unknown or finished. */
  etaSeconds: z.number().nullable(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const BatchStoreSelection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('ids'), storeIds: z.array(id).min(1, 'Choose at least one store.').max(10_000) }),
  /** Shop domains, one per line or comma-separated (a CSV column pasted or loaded from a file). */
  z.object({ kind: z.literal('csv'), csv: z.string().max(2_000_000) }),
]);
export const BatchEventSelection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('enabled') }),
  z.object({ kind: z.literal('some'), eventKeys: z.array(id).min(1, 'Choose at least one event.').max(100) }),
]);

export const SkipVariant = z.enum(['skip', 'wrong_signature', 'duplicate', 'skip_please', 'opted_out']);
export type SkipVariant = z.infer<typeof SkipVariant>;

export const InboundWebhook = z.object({
  id: z.number().int(),
  receivedAt: z.string(),
  storeId: z.string().nullable(),
  event: z.string().nullable(),
  eventDataId: z.string().nullable(),
  signature: z.enum(['valid', 'missing', 'wrong', 'not_checked']),
  status: z.number().int(),
  action: z.enum(['skipped', 'ignored', 'duplicate', 'rejected']),
  reason: z.string(),
  fromNumber: z.string().nullable(),
  message: z.string().nullable(),
  beforeDate: z.string().nullable(),
  afterDate: z.string().nullable(),
});
export type InboundWebhook = z.infer<typeof InboundWebhook>;

export const SkipStatus = z.object({
  listener: z.object({ running: z.boolean(), host: z.string(), port: z.number().int().nullable(), url: z.string().nullable(), note: z.string().nullable() }),
  /** Where Postscript should deliver this store's webhooks (through a tunnel, for live). */
  callbackUrl: z.string().nullable(),
  tokenMask: z.string().nullable(),
  tokenFetchedAt: z.string().nullable(),
  skipWord: z.string(),
  /** The SKIP word is also one of the shop's Postscript keywords: replies may never reach us. */
  keywordConflict: z.boolean().nullable(),
  subscription: z.object({ phone: z.string(), nextBillingDate: z.string(), intervalDays: z.number().int(), skippedCount: z.number().int() }).nullable(),
  registrations: z.array(z.object({ id: z.string(), callbackUrl: z.string(), event: z.string(), createdAt: z.string() })),
  /** "Subscription Next Billing Date Updated" is on: a skip also queues that event. */
  followUpEnabled: z.boolean(),
});
export type SkipStatus = z.infer<typeof SkipStatus>;

export const SandboxFaults = z.object({
  /** Share of API requests answered 429 / 3002 (0..1). */
  rate429: z.number().min(0).max(1).default(0),
  /** Share of API requests answered 500/502/503 (0..1). */
  rate5xx: z.number().min(0).max(1).default(0),
  /** Share of API requests whose connection is dropped without an answer (0..1). */
  dropRate: z.number().min(0).max(1).default(0),
  /** Extra latency added to every API request, in ms. */
  delayMs: z.number().int().min(0).max(120_000).default(0),
  /** Apply the faults to the next N API requests only; null = until cleared. */
  remaining: z.number().int().min(0).nullable().default(null),
});
export type SandboxFaults = z.infer<typeof SandboxFaults>;

export const SandboxStatus = z.object({
  running: z.boolean(),
  baseUrl: z.string().nullable(),
  shopName: z.string().nullable(),
  faults: SandboxFaults,
  /** Event types the Sandbox has received, with counts: what Postscript's flow builder would list. */
  eventTypes: z.array(z.object({ type: z.string(), count: z.number().int(), lastReceivedAt: z.string() })),
});
export type SandboxStatus = z.infer<typeof SandboxStatus>;

const CredentialInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paste'), apiKey: z.string().max(500) }),
  /** Sandbox only: main creates a fresh private key in the Sandbox; the renderer never sees it. */
  z.object({ kind: z.literal('sandbox_new_key') }),
]);

const ImportedTriggers = StoreConfigFile.shape.triggers;

export const CreateStoreInput = z.object({
  name: z.string().trim().min(1, 'Give the store a name.').max(120),
  shopDomain: z.string().max(300),
  account: Account,
  credential: CredentialInput,
  /** The store's keyword trigger; checked against the shop's Postscript keywords. */
  keyword: z.string().max(60).optional(),
  testPhone: z.string().max(40).optional(),
  /** Trigger settings carried over from a hand-over file. */
  triggers: ImportedTriggers.optional(),
});

/** What the new-store wizard remembers between launches (never the key). */
export const WizardDraft = z.object({
  step: z.enum(['store', 'key']),
  name: z.string().max(120),
  shopDomain: z.string().max(300),
  account: Account,
  keyword: z.string().max(60),
  testPhone: z.string().max(40),
  triggers: ImportedTriggers.optional(),
  /** Name of the hand-over file this draft came from, if any. */
  importedFrom: z.string().max(300).optional(),
});
export type WizardDraft = z.infer<typeof WizardDraft>;

export const TestUserCheck = z.object({
  status: TestUserStatus,
  e164: z.string(),
  subscriberId: z.string().nullable(),
  /** What it means and what to do next. */
  message: z.string(),
});
export type TestUserCheck = z.infer<typeof TestUserCheck>;

const PropertyValue = z.union([z.string().max(2000), z.number(), z.boolean()]);
export type CreateStoreInput = z.input<typeof CreateStoreInput>;

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  liveBaseUrl: z.string(),
});

interface ChannelDef<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
}
function channel<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): ChannelDef<I, O> {
  return { input, output };
}

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const contract = {
  app: {
    info: channel(Empty, AppInfo),
  },
  stores: {
    /** Every store, archived ones included (they say so). */
    list: channel(Empty, z.array(StoreSummary)),
    get: channel(z.object({ storeId: id }), StoreDetail),
    create: channel(CreateStoreInput, StoreDetail),
    remove: channel(z.object({ storeId: id }), Ok),
    /** Parses, looks up and saves the Test Event User; says whether Postscript can text them. */
    setTestUser: channel(z.object({ storeId: id, phone: z.string().max(40) }), TestUserCheck),
    setKeyword: channel(z.object({ storeId: id, keyword: z.string().max(60) }), StoreDetail),
    setStep: channel(z.object({ storeId: id, step: SetupStep }), Ok),
    /** Replaces the key after validating it belongs to the same Postscript shop; history stays. */
    rotateKey: channel(z.object({ storeId: id, credential: CredentialInput }), StoreDetail),
    /** Re-checks the key and the Test Event User with Postscript. */
    checkHealth: channel(z.object({ storeId: id }), StoreDetail),
    archive: channel(z.object({ storeId: id, archived: z.boolean() }), Ok),
    /** The hand-over file (no secrets). */
    exportConfig: channel(z.object({ storeId: id }), z.object({ filename: z.string(), json: z.string() })),
  },
  wizard: {
    getDraft: channel(Empty, WizardDraft.nullable()),
    saveDraft: channel(WizardDraft, Ok),
    clearDraft: channel(Empty, Ok),
    /** Starts a new-store draft from a hand-over file. */
    importConfig: channel(z.object({ json: z.string().max(1_000_000), fileName: z.string().max(300) }), WizardDraft),
  },
  triggers: {
    set: channel(
      z.object({
        storeId: id,
        eventKey: id,
        enabled: z.boolean().optional(),
        daysBefore: z.number().int().min(1, 'Days before must be at least 1.').max(30, 'Days before can be at most 30.').optional(),
        skioSmsAlso: z.boolean().optional(),
      }),
      TriggerState,
    ),
  },
  tests: {
    /** The exact body a test of this event would send now (external_id and time fixed at send). */
    preview: channel(z.object({ storeId: id, eventKey: id }), z.object({ json: z.string(), properties: z.record(z.string(), PropertyValue) })),
    /** Queues one test event in the outbox (written before any I/O) and returns the item. */
    send: channel(z.object({ storeId: id, eventKey: id, properties: z.record(z.string(), PropertyValue).optional() }), OutboxItem),
    /** Queues a test for every enabled event of the store. */
    sendAll: channel(z.object({ storeId: id }), z.object({ queued: z.number().int() })),
  },
  outbox: {
    status: channel(Empty, OutboxStatus),
    /** Sends an item again, by hand, as a new outbox item (e.g. after an uncertain attempt). */
    resend: channel(z.object({ itemId: z.number().int().positive() }), OutboxItem),
  },
  batches: {
    create: channel(
      z.object({ name: z.string().trim().max(120).optional(), stores: BatchStoreSelection, events: BatchEventSelection }),
      z.object({
        batch: BatchSummary,
        /** Domains from the CSV that match no store here. */
        unknownDomains: z.array(z.string()),
        /** Stores left out because none of the chosen events is enabled for them, or they have no Test Event User. */
        skippedStores: z.array(z.object({ name: z.string(), reason: z.string() })),
      }),
    ),
    list: channel(Empty, z.array(BatchSummary)),
    get: channel(z.object({ batchId: id }), BatchSummary),
    pause: channel(z.object({ batchId: id }), BatchSummary),
    resume: channel(z.object({ batchId: id }), BatchSummary),
    cancel: channel(z.object({ batchId: id }), BatchSummary),
    /** The batch's items in queue order, paged by key. */
    items: channel(
      z.object({ batchId: id, afterId: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(200) }),
      z.object({ rows: z.array(OutboxItem), nextAfterId: z.number().int().nullable() }),
    ),
    /** The end-of-batch report as CSV text. */
    exportCsv: channel(z.object({ batchId: id }), z.object({ filename: z.string(), csv: z.string() })),
    /** A new batch with only the items that failed or stayed uncertain. */
    rerunFailed: channel(z.object({ batchId: id }), BatchSummary),
  },
  deliveries: {
    /** Newest first, filtered, paged by key: pass the last row's id as `beforeId` for the next page. */
    list: channel(
      z.object({
        filter: LogFilter.default({}),
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
      z.object({ rows: z.array(LogRow), nextBeforeId: z.number().int().nullable() }),
    ),
    /** One attempt in full, with a curl command that repeats it (key masked). */
    get: channel(z.object({ id: z.number().int().positive() }), Delivery.extend({ curl: z.string() })),
    /** Sends again, through the outbox, the events of these rows or of every row the filter matches (at most 1,000). */
    resend: channel(
      z.object({ ids: z.array(z.number().int().positive()).min(1).max(1000).optional(), filter: LogFilter.optional() }),
      z.object({ queued: z.number().int(), skipped: z.number().int() }),
    ),
    /** Starts writing the filtered rows to a file in the background; progress arrives as push events. */
    export: channel(z.object({ filter: LogFilter.default({}), format: z.enum(['csv', 'json']) }), z.object({ jobId: z.string(), path: z.string() })),
    overview: channel(
      z.object({ storeId: id.optional(), hours: z.number().int().min(1).max(24 * 90).default(48) }),
      z.object({
        summary: z.array(
          z.object({
            storeId: z.string(),
            storeName: z.string(),
            eventKey: z.string(),
            lastSuccessAt: z.string().nullable(),
            lastFailureAt: z.string().nullable(),
            lastFailureMessage: z.string().nullable(),
            attempts: z.number().int(),
          }),
        ),
        /** Attempts per hour, one series per outcome, aligned with `hours` (ISO hour starts). */
        histogram: z.object({ hours: z.array(z.string()), series: z.array(z.object({ outcome: DeliveryOutcome, counts: z.array(z.number().int()) })) }),
      }),
    ),
    stats: channel(Empty, LogStats),
    /** Keep this many days of attempts; older ones are pruned in the background. */
    setRetention: channel(z.object({ days: z.number().int().min(1, 'Keep at least 1 day.').max(3650) }), LogStats),
  },
  skip: {
    status: channel(z.object({ storeId: id }), SkipStatus),
    /** Fetches and saves the signing token, makes the test subscription, and (Sandbox) subscribes the listener. */
    setup: channel(z.object({ storeId: id }), SkipStatus),
    setSubscription: channel(
      z.object({
        storeId: id,
        phone: z.string().max(40),
        nextBillingDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2030-01-15.'),
        intervalDays: z.number().int().min(1, 'The interval is at least 1 day.').max(365),
      }),
      SkipStatus,
    ),
    setSkipWord: channel(z.object({ storeId: id, word: z.string().max(40) }), SkipStatus),
    /** Sandbox stores: has the Sandbox deliver a signed incoming message (or a faulty variant) to the listener. */
    simulate: channel(
      z.object({ storeId: id, variant: SkipVariant }),
      z.object({ statuses: z.array(z.number().int().nullable()), rows: z.array(InboundWebhook), before: z.string().nullable(), after: z.string().nullable() }),
    ),
    /** Subscribes an HTTPS URL (a tunnel to the listener) to shop.incoming_message with Postscript. */
    register: channel(z.object({ storeId: id, callbackUrl: z.string().max(2000) }), SkipStatus),
    unregister: channel(z.object({ storeId: id, webhookId: z.string().max(200) }), SkipStatus),
    inbound: channel(
      z.object({ storeId: id.optional(), beforeId: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(50) }),
      z.object({ rows: z.array(InboundWebhook), nextBeforeId: z.number().int().nullable() }),
    ),
    /** The billing reminder as the subscriber would read it, with its length in SMS segments. */
    reminderPreview: channel(
      z.object({ storeId: id, template: z.string().max(2000).optional() }),
      z.object({ template: z.string(), text: z.string(), encoding: z.enum(['GSM-7', 'UCS-2']), characters: z.number().int(), units: z.number().int(), segments: z.number().int() }),
    ),
  },
  sandbox: {
    status: channel(Empty, SandboxStatus),
    setFaults: channel(SandboxFaults.partial(), SandboxStatus),
  },
} as const;

export type Contract = typeof contract;
export type Area = keyof Contract;
export type MethodOf<A extends Area> = keyof Contract[A] & string;
export type ChannelName = { [A in Area]: `${A}:${MethodOf<A>}` }[Area];

type Def<A extends Area, M extends MethodOf<A>> = Contract[A][M] extends ChannelDef<infer I, infer O>
  ? { input: I; output: O }
  : never;
/** What a caller passes (defaults may be omitted). */
export type InputOf<A extends Area, M extends MethodOf<A>> = z.input<Def<A, M>['input']>;
/** What a handler receives, after validation and defaults. */
export type ParsedInputOf<A extends Area, M extends MethodOf<A>> = z.output<Def<A, M>['input']>;
export type OutputOf<A extends Area, M extends MethodOf<A>> = z.output<Def<A, M>['output']>;

/** Every channel, as `[area, method, def]`, for shells that bind them all. */
export function listChannels(): Array<{ area: Area; method: string; name: string; def: ChannelDef<z.ZodType, z.ZodType> }> {
  const out: Array<{ area: Area; method: string; name: string; def: ChannelDef<z.ZodType, z.ZodType> }> = [];
  for (const area of Object.keys(contract) as Area[]) {
    const methods = contract[area] as Record<string, ChannelDef<z.ZodType, z.ZodType>>;
    for (const [method, def] of Object.entries(methods)) {
      out.push({ area, method, name: `${area}:${method}`, def });
    }
  }
  return out;
}

/** Push events from main to the renderer. */
export const Topic = z.enum(['stores', 'triggers', 'deliveries', 'sandbox', 'outbox', 'batches', 'logStats', 'skip']);
export type Topic = z.infer<typeof Topic>;

export const pushEvents = {
  /** Something changed in main; stores on these topics refetch. */
  changed: z.object({ topics: z.array(Topic), storeId: z.string().optional() }),
  /** Progress of a background job (an export, a prune). */
  progress: z.object({
    jobId: z.string(),
    kind: z.enum(['export', 'prune']),
    done: z.number().int(),
    total: z.number().int().nullable(),
    finished: z.boolean(),
    path: z.string().optional(),
    error: z.string().optional(),
  }),
  /** Something went wrong that the agent must hear about (an error that escaped its guard, a full disk). */
  alert: z.object({ level: z.enum(['error', 'warning']), message: z.string(), at: z.string() }),
} as const;
export type PushEvents = typeof pushEvents;
export type PushEventName = keyof PushEvents;
export type PushPayload<E extends PushEventName> = z.output<PushEvents[E]>;

export const ErrorData = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
});

/** What every transport carries back for an invoke. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof ErrorData> };
