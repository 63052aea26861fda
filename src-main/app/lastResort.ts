/**
 * Last-resort handlers for errors that escaped every guard. They record the error in the fault log
 * (secrets masked), tell the agent through the push channel, and keep the process serving: every
 * request path is guarded on its own, so what reaches here is one failed operation, not a broken
 * app. A storm of them (a loop gone wrong) ends the process cleanly, with a word, rather than spin.
 */
import type { EventBus } from '../ipc/events';
import type { FaultLog } from '../logs/faultLog';

const STORM_LIMIT = 50;
const STORM_WINDOW_MS = 10_000;

/** The handler itself, apart from `process`, so that tests can call it. */
export function makeFaultHandler(
  log: FaultLog,
  bus: () => EventBus | null,
  onStorm: () => void,
  say: (line: string) => void = (line) => process.stderr.write(line),
): (kind: string) => (err: unknown) => void {
  const recent: number[] = [];
  let stopping = false;
  return (kind: string) => (err: unknown) => {
    const message = log.record(kind, err);
    say(`Postscript Console: unexpected error (${kind}): ${message}. Details: ${log.file}\n`);
    bus()?.emit('alert', {
      level: 'error',
      message: `Something went wrong in the app (${message}). It is still running; details are in ${log.file}.`,
      at: new Date().toISOString(),
    });
    const now = Date.now();
    recent.push(now);
    while (recent.length > 0 && recent[0]! < now - STORM_WINDOW_MS) recent.shift();
    if (recent.length >= STORM_LIMIT && !stopping) {
      stopping = true;
      say(`Postscript Console: ${recent.length} unexpected errors in ${STORM_WINDOW_MS / 1000} s; stopping. Details: ${log.file}\n`);
      onStorm();
    }
  };
}

export function installLastResortHandlers(log: FaultLog, bus: () => EventBus | null, onStorm: () => void = () => process.exit(70)): () => void {
  const handle = makeFaultHandler(log, bus, onStorm);
  const onException = handle('uncaughtException');
  const onRejection = handle('unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
