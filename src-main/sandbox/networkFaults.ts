/**
 * The Sandbox's network faults, as a real link would show them to the app:
 *  - latency per leg: the request reaches the Sandbox `requestDelayMs` ± `jitterMs` after it was
 *    sent (so it is counted against the rate limit then, as Postscript would), and the answer takes
 *    `responseDelayMs` ± `jitterMs` to come back;
 *  - loss: a share of exchanges lose the request or the answer (the connection dies);
 *  - flapping: the link goes down for `flapDownMs` every `flapUpMs + flapDownMs`. While it is down
 *    the Sandbox takes no connection (connection refused) and open connections are cut.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { SandboxFaults } from '../../src-shared/ipc/contract';
import type { SandboxStats } from './faults';

export function legDelayMs(baseMs: number, jitterMs: number, random: () => number = Math.random): number {
  if (baseMs <= 0 && jitterMs <= 0) return 0;
  return Math.max(0, Math.round(baseMs + (random() * 2 - 1) * jitterMs));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Holds back the whole answer (headers and body go out together at `end`) by the answer leg's
 * delay. Called before the route writes anything.
 */
export function delayAnswer(res: http.ServerResponse, delayMs: number): void {
  if (delayMs <= 0) return;
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  (res as unknown as { end: (...args: unknown[]) => http.ServerResponse }).end = (...args: unknown[]) => {
    setTimeout(() => {
      if (!res.destroyed) end(...args);
    }, delayMs);
    return res;
  };
}

export type LossLeg = 'request' | 'answer' | null;

/** Which leg (if any) this exchange loses; half the losses hit each leg. */
export function rollLoss(f: SandboxFaults, random: () => number = Math.random): LossLeg {
  if (f.lossRate <= 0 || random() >= f.lossRate) return null;
  return random() < 0.5 ? 'request' : 'answer';
}

/** The request's way to the Sandbox and the answer's way back; true when the exchange was lost. */
export async function networkLegs(f: SandboxFaults, stats: SandboxStats, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  const inMs = legDelayMs(f.requestDelayMs, f.jitterMs);
  if (inMs > 0) await sleep(inMs);
  const loss = rollLoss(f);
  if (loss === 'request') {
    stats.dropped += 1;
    req.socket.destroy();
    return true;
  }
  if (loss === 'answer') {
    // Processed, then the answer is lost on its way back.
    (res as unknown as { end: () => http.ServerResponse }).end = () => {
      stats.dropped += 1;
      req.socket.destroy();
      return res;
    };
  }
  delayAnswer(res, legDelayMs(f.responseDelayMs, f.jitterMs));
  return false;
}

/** Takes the Sandbox's listening socket down and up on a schedule. */
export class LinkFlapper {
  private timer: NodeJS.Timeout | null = null;
  private down = false;
  /** Counts the link's transitions, for tests and the Sandbox panel. */
  readonly stats = { downs: 0, ups: 0 };

  constructor(
    private readonly server: () => http.Server | null,
    private readonly sockets: Set<Socket>,
    private readonly address: () => { port: number; host: string } | null,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  configure(upMs: number, downMs: number): void {
    this.stop();
    if (upMs > 0 && downMs > 0) this.schedule(upMs, downMs, upMs);
  }

  private schedule(upMs: number, downMs: number, inMs: number): void {
    this.timer = setTimeout(() => {
      if (this.down) {
        this.bringUp();
        this.schedule(upMs, downMs, upMs);
      } else {
        this.takeDown();
        this.schedule(upMs, downMs, downMs);
      }
    }, inMs);
    this.timer.unref();
  }

  private takeDown(): void {
    const server = this.server();
    const addr = this.address();
    if (server === null || addr === null) return;
    this.down = true;
    this.downAt = addr;
    this.stats.downs += 1;
    server.close();
    for (const s of this.sockets) s.destroy();
  }

  private downAt: { port: number; host: string } | null = null;

  private bringUp(): void {
    const server = this.server();
    const at = this.downAt;
    this.down = false;
    if (server === null || at === null) return;
    this.stats.ups += 1;
    // Same port again: the app's base URL for the Sandbox does not change. Should another program
    // have taken the port meanwhile, the link stays down rather than crash anything.
    const onError = (): void => {
      this.down = true;
    };
    server.once('error', onError);
    server.listen(at.port, at.host, () => server.off('error', onError));
  }

  /** Ends flapping; a link that is down comes back up. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.down) this.bringUp();
  }
}
