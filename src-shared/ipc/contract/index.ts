/**
 * The one IPC contract, combined from one file per area (as Actual combines its per-area server
 * apps). Each channel is declared once, with the schema of its input and output, in its area's
 * file. Main validates every input against it at the boundary; both shells (Electron IPC and the
 * browser shell's loopback HTTP) carry exactly these channels and push events, and nothing else.
 * A new channel goes in its area's file; a new area gets a file and a line below.
 */
import type { z } from 'zod';
import { appChannels } from './app';
import { batchesChannels } from './batches';
import type { ChannelDef } from './channel';
import { deliveriesChannels } from './deliveries';
import { dataHealthChannels } from './dataHealth';
import { filesChannels } from './files';
import { outboxChannels } from './outbox';
import { readinessChannels } from './readiness';
import { sandboxChannels } from './sandbox';
import { settingsChannels } from './settings';
import { skipChannels } from './skip';
import { storesChannels } from './stores';
import { teamChannels } from './team';
import { testsChannels } from './tests';
import { triggersChannels } from './triggers';
import { wizardChannels } from './wizard';

export { Account, DeliveryOutcome } from './common';
export { AppInfo } from './app';
export { SetupStep, TestUserStatus, StoreSummary, StoreDetail, CreateStoreInput, TestUserCheck } from './stores';
export { WizardDraft } from './wizard';
export { TriggerState } from './triggers';
export { OutboxState, OutboxItem, Counts, OutboxStatus, WaitKind, WaitReason } from './outbox';
export { BatchStatus, BatchSummary, BatchStoreSelection, BatchEventSelection } from './batches';
export { Delivery, LogRow, LogFilter, LogStats } from './deliveries';
export { SkipVariant, InboundWebhook, SkipStatus } from './skip';
export { SandboxFaults, SandboxStatus, SandboxSubscriber } from './sandbox';
export { DataHealth, UnrecordedSend, BackupSummary, RestoreResult } from './dataHealth';
export { CheckStatus, ReadinessCheck, HealthStatus, HealthRecord, StoreReadiness, WatchSettings, WatchStatus, type HealthAlert } from './readiness';
export { TeamStatus, StoreActivity, TeamAgent, TlsMode, OwnerAgent, KeyRotation } from './team';
export { SettingsView, SettingField, SaveSettingsInput, ConnectionCheck } from './settings';
export { Topic, pushEvents, type PushEvents, type PushEventName, type PushPayload } from './events';
export { ErrorData, type IpcResult } from './result';

export const contract = {
  app: appChannels,
  stores: storesChannels,
  wizard: wizardChannels,
  triggers: triggersChannels,
  tests: testsChannels,
  outbox: outboxChannels,
  batches: batchesChannels,
  deliveries: deliveriesChannels,
  skip: skipChannels,
  settings: settingsChannels,
  sandbox: sandboxChannels,
  dataHealth: dataHealthChannels,
  readiness: readinessChannels,
  team: teamChannels,
  files: filesChannels,
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
