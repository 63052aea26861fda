/**
 * Stores saved while Postscript was out of reach carry an unchecked key (and maybe an unchecked
 * Test Event User and keyword). This runs those checks by itself: at start, whenever an endpoint
 * that was unreachable answers again, and after the network settings change. Then it tells the
 * agent what it found (an alert, and the store's own state), and lets the outbox go on: queued
 * tests of a store whose key was accepted are sent, those of a refused key fail with the reason.
 */
import { matchKeyword } from '../../src-shared/rules/keyword';
import type { Repository, StoreRow } from '../db/store';
import type { EventBus } from '../ipc/events';
import { baseUrlFor, clientForStore, type AccountDeps } from './accounts';
import { PostscriptError } from './client';
import type { EvidenceRecorder } from './evidence';
import { checkTestUser } from './testUser';

/** Saved unchecked and not yet checked with Postscript (the health watch leaves these alone too). */
export function needsCheck(s: Pick<StoreRow, 'keyStatus' | 'testUserStatus'>): boolean {
  return s.keyStatus === 'unchecked' || (s.keyStatus === 'valid' && s.testUserStatus === 'unchecked');
}

/** What the checks need (the app's context has all of it). */
export interface DeferredCheckDeps extends Omit<AccountDeps, 'repo'> {
  repo: Pick<Repository, 'getStore' | 'getCredential' | 'listStores' | 'setKeyword'>;
  /** Where what Postscript said is recorded (readiness, health and alerts read it). */
  said: Pick<EvidenceRecorder, 'record'>;
  bus: Pick<EventBus, 'emit'>;
  /** The outbox: told when a store may send, and tells when an endpoint is back. */
  dispatcher: {
    onOnline(listener: (endpoint: string) => void): void;
    forget(storeId: string): void;
    pump(): void;
    markOffline(endpoint: string, reason: string): void;
  };
}

export class DeferredChecks {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly ctx: DeferredCheckDeps) {}

  start(): void {
    this.ctx.dispatcher.onOnline(() => this.kick());
    this.kick();
  }

  /** Runs the checks (once at a time; a kick while running runs them again afterwards). */
  kick(): Promise<void> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        for (const store of this.ctx.repo.listStores().filter(needsCheck)) await this.checkStore(store);
      } while (this.again);
    })()
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private say(level: 'info' | 'warning' | 'error', message: string): void {
    this.ctx.bus.emit('alert', { level, message, at: new Date().toISOString() });
  }

  /** Checks one store; returns quietly when Postscript is still out of reach (the outbox probes). */
  private async checkStore(store: StoreRow): Promise<void> {
    const ctx = this.ctx;
    const baseUrl = baseUrlFor(ctx, store.account);
    const client = clientForStore(ctx, store.id);
    const findings: Array<{ ok: boolean; text: string }> = [];
    try {
      if (store.keyStatus === 'unchecked') {
        let identity;
        try {
          identity = await client.me();
        } catch (err) {
          if (err instanceof PostscriptError && (err.status === 401 || err.status === 403)) {
            ctx.said.record(store.id, 'deferred_check', { key: { accepted: false, keyMask: store.keyMask, shopName: null, message: err.message } });
            ctx.dispatcher.forget(store.id);
            ctx.dispatcher.pump();
            ctx.bus.emit('changed', { topics: ['stores', 'triggers', 'outbox', 'storeHealth'], storeId: store.id }); // storeHealth: no longer 'not yet checked'
            this.say('error', `${store.name}: Postscript refused the API key saved while offline (${err.message}). Its queued tests were not sent. Enter the correct private key on the store’s page.`);
            return;
          }
          throw err;
        }
        ctx.said.record(store.id, 'deferred_check', { key: { accepted: true, keyMask: store.keyMask, shopName: identity.resource_name, message: null }, shopId: identity.resource_id });
        findings.push({ ok: true, text: `key accepted (Postscript shop “${identity.resource_name}”)` });
        if (store.keyword !== null) {
          const keywords = (await client.keywords()).map((k) => k.keyword);
          ctx.said.record(store.id, 'deferred_check', { keywords: { keywords } });
          const match = matchKeyword(store.keyword, keywords);
          if (match.ok) {
            if (match.keyword !== store.keyword) ctx.repo.setKeyword(store.id, match.keyword);
            findings.push({ ok: true, text: `keyword ${match.keyword} found` });
          } else {
            const hint = match.suggestions.length > 0 ? ` (did you mean ${match.suggestions.join(' or ')}?)` : '';
            findings.push({ ok: false, text: `keyword “${store.keyword}” is not one of the shop’s keywords${hint}: change it on the store’s page` });
          }
        }
      }
      if (store.testPhone !== null && (store.testUserStatus === 'unchecked' || store.testUserStatus === null)) {
        const check = await checkTestUser(client, store.testPhone, store.keyword);
        if (check.status !== 'unchecked') ctx.said.record(store.id, 'deferred_check', { testUser: { phone: check.e164, status: check.status, subscriberId: check.subscriberId } });
        findings.push({ ok: check.status === 'ok', text: check.status === 'ok' ? `Test Event User ${check.e164} can receive transactional texts` : check.message });
      }
    } catch (err) {
      if (err instanceof PostscriptError && err.kind === 'network') {
        // Still out of reach: the outbox's probe tells us when it is back.
        ctx.dispatcher.markOffline(baseUrl, err.message);
        return;
      }
      findings.push({ ok: false, text: `a check could not finish (${err instanceof Error ? err.message : String(err)}); use “Check now” on the store’s page` });
    }
    ctx.dispatcher.forget(store.id);
    ctx.dispatcher.pump();
    ctx.bus.emit('changed', { topics: ['stores', 'triggers', 'outbox', 'storeHealth'], storeId: store.id }); // storeHealth: no longer 'not yet checked'
    const problems = findings.some((f) => !f.ok);
    const list = findings.map((f) => f.text.replace(/\.$/, '')).join('; ');
    this.say(problems ? 'warning' : 'info', `${store.name} was checked with Postscript now that it is reachable: ${list}. Its queued tests are going out.`);
  }
}
