/** The shapes of the Sandbox's world (state.ts keeps it, stateFile.ts writes it to disk). */
export interface SandboxSubscriber {
  id: string;
  phone_number: string;
  email: string | null;
  created_at: string;
  updated_at: string;
  promotional: boolean;
  transactional: boolean;
}

export interface SandboxKeyword {
  id: string;
  keyword: string;
  triggered_count: number;
  created_at: string;
  updated_at: string;
}

export interface SandboxWebhook {
  id: string;
  callback_url: string;
  event: string;
  headers: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export interface SandboxShop {
  id: string;
  name: string;
  privateKeys: string[];
  publicKey: string;
  signingToken: string;
  keywords: SandboxKeyword[];
  subscribers: SandboxSubscriber[];
  webhooks: SandboxWebhook[];
}

export interface ReceivedEvent {
  eventId: string;
  shopId: string;
  type: string;
  receivedAt: string;
  body: Record<string, unknown>;
}

export interface EventTypeRecord {
  count: number;
  lastReceivedAt: string;
}

export interface SandboxData {
  version: 1;
  shops: SandboxShop[];
  partners: Array<{ key: string; name: string }>;
  /** Newest last, capped. */
  events: ReceivedEvent[];
  /** shopId -> type -> record: what the shop's flow builder would list. */
  eventTypes: Record<string, Record<string, EventTypeRecord>>;
}
