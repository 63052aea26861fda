/**
 * Which stores the app acts on: the active ones. An archived store keeps its history (delivery
 * log, health history) but no batch reaches it, the health watch leaves it alone and it is not
 * counted as needing attention. A batch over "all stores" means all active stores; a store named
 * in a CSV or chosen by id that is archived is reported as archived, not sent.
 */
import { csvCells } from '../csv';
import { normalizeShopDomain } from '../validation/domain';

/** A store as main (`archivedAt`) or the renderer (`archived`) holds it. */
export type StoreLifecycle = { archivedAt: string | null } | { archived: boolean };

export function isActiveStore(s: StoreLifecycle): boolean {
  return 'archived' in s ? !s.archived : s.archivedAt === null;
}

export type BatchStoreChoice = { kind: 'all' } | { kind: 'ids'; storeIds: readonly string[] } | { kind: 'csv'; csv: string };

export interface BatchStoreSelection<T> {
  /** The stores the batch takes, each once. */
  stores: T[];
  /** Stores named (by id or in the CSV) that are archived: reported, never sent. */
  archived: T[];
  /** CSV lines that name no store here (or are not a shop domain). */
  unknownDomains: string[];
}

/** What a CSV's header cell for the domain column may say. */
const HEADER_CELL = /^(shop|store|myshopify)?[ _-]?(domain|shop|store|url)s?$/i;

/** The stores a batch takes from all stores here, by the agent's choice. */
export function selectBatchStores<T extends StoreLifecycle & { id: string; shopDomain: string }>(all: readonly T[], choice: BatchStoreChoice): BatchStoreSelection<T> {
  if (choice.kind === 'all') return { stores: all.filter(isActiveStore), archived: [], unknownDomains: [] };
  const chosen = new Map<string, T>();
  const unknown: string[] = [];
  if (choice.kind === 'ids') {
    const byId = new Map(all.map((s) => [s.id, s]));
    for (const id of choice.storeIds) {
      const s = byId.get(id);
      if (s !== undefined) chosen.set(s.id, s);
    }
  } else {
    const byDomain = new Map(all.map((s) => [s.shopDomain, s]));
    for (const [i, cell] of csvCells(choice.csv).entries()) {
      const d = normalizeShopDomain(cell);
      if (!d.ok) {
        // A header cell on the first line ("domain", "shop_domain") is not a domain; anything else that
        // fails is reported, so no line of the agent's file is dropped without a word.
        if (!(i === 0 && HEADER_CELL.test(cell))) unknown.push(cell);
        continue;
      }
      const s = byDomain.get(d.domain);
      if (s === undefined) unknown.push(d.domain);
      else chosen.set(s.id, s);
    }
  }
  const stores: T[] = [];
  const archived: T[] = [];
  for (const s of chosen.values()) (isActiveStore(s) ? stores : archived).push(s);
  return { stores, archived, unknownDomains: [...new Set(unknown)] };
}

/**
 * The stores the health watch checks and the attention count counts: active ones the agent took
 * through the wizard (its Done step). The step, not the readiness, because a store whose key
 * Postscript later refuses is exactly what the watch must keep looking at.
 */
export function isWatchedStore(s: { setupStep: string; archivedAt: string | null }): boolean {
  return s.setupStep === 'done' && isActiveStore(s);
}
