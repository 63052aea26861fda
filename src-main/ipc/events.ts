import { EventEmitter } from 'node:events';
import type { PushEventName, PushPayload } from '../../src-shared/ipc/contract';

/** Push events from main to whichever shell is attached (Electron window or browser-shell SSE). */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends PushEventName>(event: E, payload: PushPayload<E>): void {
    this.emitter.emit('push', event, payload);
  }

  /** Listens to every push event; returns an unsubscribe function. */
  onAny(listener: (event: PushEventName, payload: unknown) => void): () => void {
    this.emitter.on('push', listener);
    return () => this.emitter.off('push', listener);
  }
}
