/**
 * The Sandbox's world: shops with their keys, keywords, subscribers, webhook subscriptions and the
 * custom events they received. Kept in memory and, when given a file, saved there (atomically,
 * throttled) so keys minted for stores keep working across app restarts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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

const MAX_EVENTS_KEPT = 5000;
export const DEMO_SHOP_ID = 'shop_sandboxdemo01';
export const DEMO_SHOP_NAME = 'Demo Coffee Co';
/** Fixed so that docs, scripts and tests can name them. Sandbox only: it texts no one. */
export const DEMO_PRIVATE_KEY = 'sk_sandbox_demo_4f9c2a7e1b3d5c8a';
export const DEMO_PUBLIC_KEY = 'pk_sandbox_demo_4f9c2a7e1b3d5c8a';
export const DEMO_PARTNER_KEY = 'sk_partner_sandbox_demo_7d1e3f5a';
export const OPTED_IN_PHONE = '+15555550100';
export const NO_TRANSACTIONAL_PHONE = '+15555550101';
/** The sender of the SKIP tester's "opted-out sender" simulation: someone who texted STOP. */
export const OPTED_OUT_PHONE = '+15555550102';

function randomId(prefix: string, bytes = 8): string {
  return `${prefix}${crypto.randomBytes(bytes).toString('hex')}`;
}

export function newPrivateKey(): string {
  return randomId('sk_sandbox_', 16);
}

function seedSubscribers(shopId: string, now: string): SandboxSubscriber[] {
  const suffix = shopId.slice(-6);
  return [
    { id: `s_${suffix}optin`, phone_number: OPTED_IN_PHONE, email: 'opted.in@example.com', created_at: now, updated_at: now, promotional: true, transactional: true },
    { id: `s_${suffix}noconsent`, phone_number: NO_TRANSACTIONAL_PHONE, email: 'no.consent@example.com', created_at: now, updated_at: now, promotional: true, transactional: false },
  ];
}

function seedKeywords(now: string): SandboxKeyword[] {
  return [
    { id: randomId('kw_'), keyword: 'JOIN', triggered_count: 12, created_at: now, updated_at: now },
    { id: randomId('kw_'), keyword: 'COFFEECLUB', triggered_count: 3, created_at: now, updated_at: now },
  ];
}

export function makeShop(id: string, name: string, privateKey: string, publicKey: string): SandboxShop {
  const now = new Date().toISOString();
  return {
    id,
    name,
    privateKeys: [privateKey],
    publicKey,
    signingToken: randomId('pswh_', 16),
    keywords: seedKeywords(now),
    subscribers: seedSubscribers(id, now),
    webhooks: [],
  };
}

export function seedData(): SandboxData {
  return {
    version: 1,
    shops: [makeShop(DEMO_SHOP_ID, DEMO_SHOP_NAME, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY)],
    partners: [{ key: DEMO_PARTNER_KEY, name: 'Skio (Sandbox partner)' }],
    events: [],
    eventTypes: {},
  };
}

export class SandboxState {
  data: SandboxData;
  private saveTimer: NodeJS.Timeout | null = null;
  /** Told when a save fails (a full disk); the data stays in memory and is saved at the next change or flush. */
  onWriteError: ((err: unknown) => void) | null = null;

  constructor(private readonly file: string | null) {
    this.data = this.load();
  }

  private load(): SandboxData {
    if (this.file === null) return seedData();
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as SandboxData;
      if (parsed.version === 1 && Array.isArray(parsed.shops)) return parsed;
    } catch {
      // Missing or unreadable: start from the seed (the Sandbox holds nothing irreplaceable).
    }
    return seedData();
  }

  shopByPrivateKey(key: string): SandboxShop | undefined {
    return this.data.shops.find((s) => s.privateKeys.includes(key));
  }
  shopByPublicKey(key: string): SandboxShop | undefined {
    return this.data.shops.find((s) => s.publicKey === key);
  }
  shopById(id: string): SandboxShop | undefined {
    return this.data.shops.find((s) => s.id === id);
  }
  isPartnerKey(key: string): boolean {
    return this.data.partners.some((p) => p.key === key);
  }

  createShop(name: string): { shop: SandboxShop; privateKey: string } {
    const privateKey = newPrivateKey();
    const shop = makeShop(randomId('shop_', 6), name, privateKey, randomId('pk_sandbox_', 16));
    this.data.shops.push(shop);
    this.changed();
    return { shop, privateKey };
  }

  mintKey(shopId: string): string {
    const shop = this.shopById(shopId);
    if (shop === undefined) throw new Error(`No Sandbox shop ${shopId}.`);
    const key = newPrivateKey();
    shop.privateKeys.push(key);
    this.changed();
    return key;
  }

  recordEvent(shopId: string, type: string, body: Record<string, unknown>): ReceivedEvent {
    const ev: ReceivedEvent = { eventId: crypto.randomUUID(), shopId, type, receivedAt: new Date().toISOString(), body };
    this.data.events.push(ev);
    if (this.data.events.length > MAX_EVENTS_KEPT) this.data.events.splice(0, this.data.events.length - MAX_EVENTS_KEPT);
    const types = (this.data.eventTypes[shopId] ??= {});
    const rec = (types[type] ??= { count: 0, lastReceivedAt: ev.receivedAt });
    rec.count += 1;
    rec.lastReceivedAt = ev.receivedAt;
    this.changed();
    return ev;
  }

  reset(): void {
    this.data = seedData();
    this.changed();
  }

  /**
   * Schedules a save; bursts of events become one write. A second apart: the whole state is
   * rewritten each time (megabytes with many shops), and the Sandbox holds nothing irreplaceable.
   */
  changed(): void {
    if (this.file === null || this.saveTimer !== null) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.flush();
    }, 1000);
    this.saveTimer.unref();
  }

  flush(): void {
    if (this.saveTimer !== null) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    if (this.file === null) return;
    // Written whole to a temporary file, then renamed over the old one: a full disk leaves the old
    // state intact and no temporary file behind.
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
    } catch (err) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // Nothing more to do: the next save overwrites it.
      }
      if (this.onWriteError === null) throw err;
      this.onWriteError(err);
    }
  }
}
