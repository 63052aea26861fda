/**
 * The main-process side of the contract. Handlers register per channel; `invoke` validates the input
 * against the contract, runs the handler, passes the output through the contract's schema (which
 * also strips any field the contract does not declare, so nothing undeclared such as a secret can
 * reach the renderer), and turns every failure into an `IpcResult` error a user can act on.
 */
import type { z } from 'zod';
import { validationMessage } from './validationMessage';
import { DISK_FULL, writeFailureKind } from '../db/writeFailure';
import { AppError } from '../../src-shared/errors';
import {
  contract,
  listChannels,
  type Area,
  type IpcResult,
  type MethodOf,
  type OutputOf,
  type ParsedInputOf,
} from '../../src-shared/ipc/contract';

type AnyHandler = (input: unknown) => Promise<unknown>;

export type Handler<A extends Area, M extends MethodOf<A>> = (input: ParsedInputOf<A, M>) => Promise<OutputOf<A, M>>;

/** A handler module's handlers for one area, typed by the contract. */
export type AreaHandlers<A extends Area> = { [M in MethodOf<A>]: Handler<A, M> };

export class Router {
  private readonly handlers = new Map<string, AnyHandler>();
  /** The contract's channels by name, built once: invoke is on every click's path. */
  private readonly channels = new Map(listChannels().map((c) => [c.name, c]));

  /** Says what a failure means for the agent when it is about storage (full disk, damaged database), and acts on it. */
  describeFailure: ((err: unknown, channel: string) => string | null) | null = null;

  constructor(private readonly log: (message: string) => void = (m) => process.stderr.write(`${m}\n`)) {}

  registerArea<A extends Area>(area: A, handlers: AreaHandlers<A>): void {
    for (const method of Object.keys(contract[area]) as Array<MethodOf<A>>) {
      this.handlers.set(`${area}:${method}`, handlers[method] as unknown as AnyHandler);
    }
  }

  /** Throws at start-up if a channel of the contract has no handler, rather than at first click. */
  assertComplete(): void {
    const missing = [...this.channels.keys()].filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`IPC channels without a handler: ${missing.join(', ')}`);
  }

  channelNames(): string[] {
    return [...this.channels.keys()];
  }

  async invoke(name: string, rawInput: unknown): Promise<IpcResult<unknown>> {
    const def = this.channels.get(name);
    const handler = this.handlers.get(name);
    if (def === undefined || handler === undefined) {
      return { ok: false, error: { code: 'invalid_input', message: `Unknown channel ${name}.` } };
    }
    const parsed = def.def.input.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: zodToError(parsed.error) };
    try {
      const output = await handler(parsed.data);
      return { ok: true, value: def.def.output.parse(output) };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, error: err.toData() };
      const storage = this.describeFailure?.(err, name) ?? storageFailure(err);
      if (storage !== null) return { ok: false, error: { code: 'internal', message: storage } };
      // Unexpected: log the type and message (never inputs, which may hold keys) and say what to do.
      this.log(`[ipc] ${name} failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
      return {
        ok: false,
        error: { code: 'internal', message: 'Something went wrong inside the app. Try again; if it keeps happening, restart the app.' },
      };
    }
  }
}

function zodToError(error: z.ZodError): { code: 'invalid_input'; message: string; field?: string } {
  const issue = error.issues[0];
  if (issue === undefined) return { code: 'invalid_input', message: 'The input is not valid.' };
  const field = issue.path.map(String).join('.');
  const message = validationMessage(issue);
  return field === '' ? { code: 'invalid_input', message } : { code: 'invalid_input', message, field };
}

/** SQLite failures a user can do something about, in words they can act on. */
function storageFailure(err: unknown): string | null {
  const kind = writeFailureKind(err);
  if (kind === 'full') return `${DISK_FULL}, so nothing was saved (what was saved before is intact). Free some disk space and try again.`;
  if (kind === 'read_only' || kind === 'not_writable' || kind === 'io') {
    return 'The app cannot write to its data directory, so nothing was saved. Check that the disk is connected and writable, then try again.';
  }
  return null;
}
