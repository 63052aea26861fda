/**
 * The outbox's change announcements, coalesced: a batch of 1,100 sends is not 1,100 refetches.
 * Topics and stores gathered within 150 ms go out as one `changed` event; when any announcement
 * was for no store in particular, the event names none (everything refetches).
 */
import type { Topic } from '../../src-shared/ipc/contract';
import type { EventBus } from '../ipc/events';

const COALESCE_MS = 150;

export class ChangeAnnouncer {
  private pendingTopics = new Set<Topic>();
  /** Stores whose items settled since the last announcement: the renderer refetches only those rows. */
  private pendingStores = new Set<string>();
  private pendingUnscoped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly bus: Pick<EventBus, 'emit'>) {}

  announce(topics: Topic[], storeId?: string): void {
    for (const t of topics) this.pendingTopics.add(t);
    if (storeId === undefined) this.pendingUnscoped = true;
    else this.pendingStores.add(storeId);
    if (this.timer !== null) return;
    this.timer = setTimeout(() => this.flush(), COALESCE_MS);
  }

  /** Sends what is gathered now (at stop, so nothing is left unsaid). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingTopics.size === 0) return;
    const topics = [...this.pendingTopics];
    const storeIds = this.pendingUnscoped ? undefined : [...this.pendingStores];
    this.pendingTopics = new Set();
    this.pendingStores = new Set();
    this.pendingUnscoped = false;
    this.bus.emit('changed', storeIds === undefined ? { topics } : { topics, storeIds });
  }
}
