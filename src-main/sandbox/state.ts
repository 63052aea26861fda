/**
 * The Sandbox's world: shops with their keys, keywords, subscribers, webhook subscriptions and the
 * custom events they received. Kept in memory for reads and, when given a file, each change is
 * written there before it is answered (stateFile.ts), so keys minted for stores keep working
 * across restarts, a kill -9 included.
 */
import crypto from 'node:crypto';
import { SandboxStateFile } from './stateFile';

export type { SandboxSubscriber, SandboxKeyword, SandboxWebhook, SandboxShop, ReceivedEvent, EventTypeRecord, SandboxData } from './stateTypes';
import type { SandboxShop, SandboxData, ReceivedEvent, SandboxSubscriber, SandboxKeyword } from './stateTypes';

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

export interface SandboxStateOptions {
  /** An older JSON state to import once into `file` (the app's `sandbox-state.json`). */
  legacyJson?: string;
  /** better-sqlite3 binding built for this runtime's ABI (Electron). */
  nativeBinding?: string;
}

export class SandboxState {
  data: SandboxData;
  private readonly store: SandboxStateFile | null;
  /** Writes that failed (a full disk): redone by `changed()` without a shop, e.g. when space is back. */
  private unsaved = false;
  /**
   * Told when a save fails (a full disk); the data stays in memory and is saved whole at the next
   * change or `changed()`. Unset, a failed save is only kept for later.
   */
  onWriteError: ((err: unknown) => void) | null = null;

  /** `file`: the SQLite file that keeps the state across restarts (stateFile.ts); null keeps it in memory only. */
  constructor(file: string | null, options: SandboxStateOptions = {}) {
    this.store = file === null ? null : new SandboxStateFile(file, options);
    if (this.store === null) this.data = seedData();
    else if (this.store.isEmpty()) {
      this.data = seedData();
      this.unsaved = true;
      this.write((file) => file.replaceAll(this.data));
    } else this.data = this.store.load(MAX_EVENTS_KEPT);
  }

  /** The state file's connection, for tests (null in memory). */
  get file(): SandboxStateFile | null {
    return this.store;
  }

  /**
   * Every request looks its key up: a map, not a walk through all shops (with 5,000 Sandbox shops
   * the walk was a good part of each send's cost). Kept per `data` (a reset starts a new one), and a
   * hit is checked against the shop's keys, so a revoked key is not found.
   */
  private keyIndex: { data: SandboxData; byKey: Map<string, SandboxShop> } | null = null;

  shopByPrivateKey(key: string): SandboxShop | undefined {
    if (this.keyIndex?.data !== this.data) this.keyIndex = { data: this.data, byKey: new Map() };
    const hit = this.keyIndex.byKey.get(key);
    if (hit !== undefined && hit.privateKeys.includes(key)) return hit;
    // Not there (a new shop or key): index every key once, rather than walk the shops per key.
    const byKey = new Map<string, SandboxShop>();
    for (const shop of this.data.shops) for (const k of shop.privateKeys) byKey.set(k, shop);
    this.keyIndex.byKey = byKey;
    return byKey.get(key);
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
    this.changed(shop);
    return { shop, privateKey };
  }

  mintKey(shopId: string): string {
    const shop = this.shopById(shopId);
    if (shop === undefined) throw new Error(`No Sandbox shop ${shopId}.`);
    const key = newPrivateKey();
    shop.privateKeys.push(key);
    this.changed(shop);
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
    // In the file before the 202 goes out: what the log calls delivered, the Sandbox page lists.
    if (!this.saveUnsaved()) this.write((file) => file.saveEvent(ev, rec, MAX_EVENTS_KEPT));
    return ev;
  }

  reset(): void {
    this.data = seedData();
    this.unsaved = true;
    this.flush();
  }

  /**
   * Saves a change now, before the request that made it is answered: `shop` when one shop changed
   * (its keys, webhooks), and whatever earlier writes could not save (a full disk), whole.
   */
  changed(shop?: SandboxShop): void {
    if (!this.saveUnsaved() && shop !== undefined) this.write((file) => file.saveShop(shop));
  }

  /** Kept for callers that saved before closing: every change is already written. */
  flush(): void {
    this.saveUnsaved();
  }

  close(): void {
    this.flush();
    this.store?.close();
  }

  /** After failed writes, everything is saved whole (it includes the change at hand); false when nothing was unsaved. */
  private saveUnsaved(): boolean {
    if (!this.unsaved) return false;
    this.write((file) => file.replaceAll(this.data));
    return true;
  }

  private write(fn: (file: SandboxStateFile) => void): void {
    if (this.store === null) return;
    const whole = this.unsaved;
    try {
      fn(this.store);
      if (whole) this.unsaved = false;
    } catch (err) {
      // Kept in memory; saved whole by the next change or changed() (called when space is back).
      this.unsaved = true;
      this.onWriteError?.(err);
    }
  }
}
