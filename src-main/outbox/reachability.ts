/**
 * Tracks which Postscript endpoints (base URLs) are unreachable and probes them until they answer.
 * The probe only opens a TCP connection: it sends no request, so it costs no rate-limit budget and
 * cannot create an event.
 */
import net from 'node:net';

export interface OfflineEndpoint {
  endpoint: string;
  sinceMs: number;
  reason: string;
}

export type ProbeFn = (endpoint: string, timeoutMs: number) => Promise<boolean>;

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

export class Reachability {
  private readonly offline = new Map<string, OfflineEndpoint & { timer: NodeJS.Timeout | null; delayMs: number }>();
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
    return [...this.offline.values()].map(({ endpoint, sinceMs, reason }) => ({ endpoint, sinceMs, reason }));
  }

  markOffline(endpoint: string, reason: string): void {
    if (this.stopped || this.offline.has(endpoint)) return;
    const entry = { endpoint, sinceMs: Date.now(), reason, timer: null as NodeJS.Timeout | null, delayMs: this.firstDelayMs };
    this.offline.set(endpoint, entry);
    this.schedule(entry);
    this.onChange(endpoint, false);
  }

  private schedule(entry: { endpoint: string; timer: NodeJS.Timeout | null; delayMs: number }): void {
    entry.timer = setTimeout(() => {
      void this.probe(entry.endpoint, 3000).then((ok) => {
        if (this.stopped || !this.offline.has(entry.endpoint)) return;
        if (ok) {
          this.offline.delete(entry.endpoint);
          this.onChange(entry.endpoint, true);
        } else {
          entry.delayMs = Math.min(this.maxDelayMs, entry.delayMs * 2);
          this.schedule(entry);
        }
      });
    }, entry.delayMs);
    entry.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    for (const e of this.offline.values()) if (e.timer !== null) clearTimeout(e.timer);
    this.offline.clear();
  }
}
