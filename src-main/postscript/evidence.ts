/**
 * The one writer of what Postscript last said about a store. Every path that asks Postscript about
 * a store (the set-up wizard and store page, the automatic check of a store saved offline, "Check
 * health", the health watch, "Re-check with Postscript", key rotation, the SKIP tester's set-up)
 * hands its answers here: the evidence rows and the store's own state (key status, Test Event User)
 * are written in one transaction, then the views are told (`changed`) and, when the store has just
 * turned red, an alert is raised. Readiness, badges and the needs-attention count read the rows.
 */
import type { HealthAlert } from '../../src-shared/ipc/contract';
import type { EvidenceRepository, EvidenceSource, EvidenceWrite, StoreEvidence } from '../db/postscriptEvidence';
import type { StoreHealthRepository } from '../db/storeHealth';
import type { Repository } from '../db/store';
import type { EventBus } from '../ipc/events';
import { attentionOf, watchSettingsOf, type Attention } from './attention';

export interface EvidenceDeps {
  repo: Pick<Repository, 'getStore' | 'listStores' | 'getState' | 'setCredentialStatus' | 'markKeyAccepted' | 'setTestUser'>;
  evidence: EvidenceRepository;
  storeHealth: Pick<StoreHealthRepository, 'latest' | 'lastSuccessAt' | 'latestPerStore' | 'lastSuccessPerStore'>;
  bus: Pick<EventBus, 'emit'>;
}

/** What one path learnt; `shopId` with an accepted key records whose shop the key belongs to. */
export type Learnt = EvidenceWrite & { shopId?: string };

export interface RecorderOptions {
  /** Shows a desktop notification from main (Electron); absent in the browser shell. */
  notify?: (title: string, body: string) => void;
}

export class EvidenceRecorder {
  constructor(
    private readonly ctx: EvidenceDeps,
    private readonly options: RecorderOptions = {},
  ) {}

  evidenceOf(storeId: string): StoreEvidence {
    return this.ctx.evidence.of(storeId);
  }

  /** The store's health now, from the evidence (null: nothing learnt yet, or archived or gone). */
  attention(storeId: string, opts: { watchedAt?: string } = {}): Attention | null {
    const store = this.ctx.repo.getStore(storeId);
    if (store === undefined) return null;
    return attentionOf({
      store,
      evidence: this.ctx.evidence.of(storeId),
      watchedAt: opts.watchedAt ?? this.ctx.storeHealth.latest(storeId)?.checkedAt ?? null,
      lastSuccessAt: this.ctx.storeHealth.lastSuccessAt(storeId),
      successWithinDays: watchSettingsOf(this.ctx.repo).successWithinDays,
      now: Date.now(),
    });
  }

  /** Every store's health now, read in a few queries whatever the number of stores. */
  attentionAll(): Array<Attention & { storeId: string }> {
    const evidence = this.ctx.evidence.all();
    const watched = new Map(this.ctx.storeHealth.latestPerStore().map((h) => [h.storeId, h.checkedAt]));
    const success = this.ctx.storeHealth.lastSuccessPerStore();
    const successWithinDays = watchSettingsOf(this.ctx.repo).successWithinDays;
    const now = Date.now();
    return this.ctx.repo.listStores().flatMap((store) => {
      const ev = evidence.get(store.id);
      const a = attentionOf({
        store,
        evidence: ev ?? { key: null, keywords: null, testUser: null, webhooks: null },
        watchedAt: watched.get(store.id) ?? null,
        lastSuccessAt: success.get(store.id) ?? null,
        successWithinDays,
        now,
      });
      return a === null ? [] : [{ storeId: store.id, ...a }];
    });
  }

  /**
   * Records what Postscript said; returns the store's health afterwards. `announce: false` for a
   * caller that announces the change itself (a store just created: nothing to alert about yet).
   */
  record(storeId: string, source: EvidenceSource, learnt: Learnt, options: { announce?: boolean } = {}): Attention | null {
    const ctx = this.ctx;
    const at = new Date().toISOString();
    const store = ctx.repo.getStore(storeId);
    if (store === undefined) return null;
    const { before, after } = ctx.evidence.transaction(() => {
      const was = this.attention(storeId);
      if (learnt.key !== undefined) {
        if (learnt.key.accepted && learnt.shopId !== undefined && learnt.key.shopName !== null) ctx.repo.markKeyAccepted(storeId, learnt.shopId, learnt.key.shopName);
        else ctx.repo.setCredentialStatus(storeId, learnt.key.accepted ? 'valid' : 'invalid');
      }
      if (learnt.testUser !== undefined) ctx.repo.setTestUser(storeId, learnt.testUser.phone, learnt.testUser.subscriberId, learnt.testUser.status);
      const { shopId: _shop, ...said } = learnt;
      ctx.evidence.write(storeId, source, said, at);
      return { before: was, after: this.attention(storeId) };
    });
    if (options.announce === false) return after;
    ctx.bus.emit('changed', { topics: ['stores', 'triggers', 'skip', 'storeHealth'], storeId, storeIds: [storeId] });
    if (after?.status === 'red' && before?.status !== 'red') this.alert(storeId, store.name, after.problems);
    return after;
  }

  private alert(storeId: string, storeName: string, problems: string[]): void {
    let notified = false;
    if (this.options.notify !== undefined) {
      try {
        this.options.notify(`${storeName} needs attention`, problems.join(' ') || 'This store needs attention.');
        notified = true;
      } catch {
        // No notification service here: the window shows it instead.
      }
    }
    const alert: HealthAlert = { storeId, storeName, problems, at: new Date().toISOString(), notified };
    this.ctx.bus.emit('healthAlert', alert);
  }
}
