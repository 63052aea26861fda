/** Fault injection for the Sandbox's Postscript API: delays, 429 storms, 5xx and dropped connections. */
import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxFaults } from '../../src-shared/ipc/contract';
import { SANDBOX_ERRORS, sendError } from './http';

export const NO_FAULTS: SandboxFaults = {
  rate429: 0,
  rate5xx: 0,
  dropRate: 0,
  delayMs: 0,
  requestDelayMs: 0,
  responseDelayMs: 0,
  jitterMs: 0,
  flapUpMs: 0,
  flapDownMs: 0,
  lossRate: 0,
  remaining: null,
};

/** Counts what the Sandbox answered, for tests and benchmarks. */
export interface SandboxStats {
  requests: number;
  rateLimited: number;
  injected429: number;
  injected5xx: number;
  dropped: number;
}

/** Returns true when a fault answered (or dropped) the request. Counts down `remaining`. */
export async function applyFaults(f: SandboxFaults, stats: SandboxStats, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  if (f.remaining !== null && f.remaining <= 0) return false;
  const active = f.rate429 > 0 || f.rate5xx > 0 || f.dropRate > 0 || f.delayMs > 0;
  if (!active) return false;
  if (f.remaining !== null) f.remaining -= 1;
  if (f.delayMs > 0) await sleep(f.delayMs);
  const roll = Math.random();
  if (roll < f.dropRate) {
    stats.dropped += 1;
    // Read the request first so the client knows it was sent, then vanish without an answer.
    req.resume();
    req.socket.destroy();
    return true;
  }
  if (roll < f.dropRate + f.rate5xx) {
    stats.injected5xx += 1;
    req.resume();
    const status = [500, 502, 503][Math.floor(Math.random() * 3)]!;
    sendError(res, status, SANDBOX_ERRORS.internal, 'Sandbox fault: injected server error.');
    return true;
  }
  if (roll < f.dropRate + f.rate5xx + f.rate429) {
    stats.injected429 += 1;
    req.resume();
    sendError(res, 429, SANDBOX_ERRORS.rateLimited, 'Rate limit exceeded');
    return true;
  }
  return false;
}
