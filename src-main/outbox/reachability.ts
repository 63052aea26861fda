/**
 * Tracks which Postscript endpoints (base URLs) are unreachable and probes them until they answer,
 * backing off from half a second to ten. The default probe sends one request without any key
 * through the same proxy and TLS checks as real calls (see network/network.ts: probeRoute), so it
 * costs no rate-limit budget and cannot create an event; a bare TCP probe is kept for tests.
 */
import net from 'node:net';

export interface OfflineEndpoint {
  endpoint: string;
  sinceMs: number;
  reason: string;
  /** When the next probe runs. */
  nextTryMs: number | null;
}

/** True when reachable; a string says why not (it replaces the reason shown). */
export type ProbeFn = (endpoint: string, timeoutMs: number) => Promise<boolean | string>;

export const tcpProbe: ProbeFn = (endpoint, timeoutMs) =>
  new Promise((resolve) => {
    const url = new URL(endpoint);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const socket = net.connect({ host: url.hostname, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

interface Entry extends OfflineEndpoint {
  timer: NodeJS.Timeout | null;
  delayMs: number;
  probing: boolean;
}

export class Reachability {
  private readonly offline = new Map<string, Entry>();
  private stopped = false;

  constructor(
    private readonly onChange: (endpoint: string, online: boolean) => void,
    private readonly probe: ProbeFn = tcpProbe,
    private readonly firstDelayMs = 500,
    private readonly maxDelayMs = 10_000,
  ) {}

  isOffline(endpoint: string): boolean {
    return this.offline.has(endpoint);
  }

  list(): OfflineEndpoint[] {
    return [...this.offline.values()].map(({ endpoint, sinceMs, reason, nextTryMs }) => ({ endpoint, sinceMs, reason, nextTryMs }));
  }

  markOffline(endpoint: string, reason: string): void {
    if (this.stopped || this.offline.has(endpoint)) return;
    const entry: Entry = { endpoint, sinceMs: Date.now(), reason, nextTryMs: null, timer: null, delayMs: this.firstDelayMs, probing: false };
    this.offline.set(endpoint, entry);
    this.schedule(entry, entry.delayMs);
    this.onChange(endpoint, false);
  }

  /** "Retry now", or the network settings changed: probe every offline endpoint at once. */
  probeNow(): void {
    for (const entry of this.offline.values()) {
      if (entry.probing) continue;
      if (entry.timer !== null) clearTimeout(entry.timer);
      entry.delayMs = this.firstDelayMs;
      this.schedule(entry, 0);
    }
  }

  private schedule(entry: Entry, delayMs: number): void {
    entry.nextTryMs = Date.now() + delayMs;
    entry.timer = setTimeout(() => {
      entry.timer = null;
      entry.probing = true;
      void this.probe(entry.endpoint, 3000).then((result) => {
        entry.probing = false;
        if (this.stopped || this.offline.get(entry.endpoint) !== entry) return;
        if (result === true) {
          this.offline.delete(entry.endpoint);
          this.onChange(entry.endpoint, true);
          return;
        }
        if (typeof result === 'string') entry.reason = result;
        entry.delayMs = Math.min(this.maxDelayMs, entry.delayMs * 2);
        this.schedule(entry, entry.delayMs);
        // The banner shows the next try: tell it.
        this.onChange(entry.endpoint, false);
      });
    }, delayMs);
    entry.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    for (const e of this.offline.values()) if (e.timer !== null) clearTimeout(e.timer);
    this.offline.clear();
  }
}
