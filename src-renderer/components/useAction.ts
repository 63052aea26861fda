import { useState } from 'react';
import { AppError } from '../../src-shared/errors';

/** Runs an agent's action: busy while it runs, then a note saying it worked or what went wrong. */
export function useAction(): {
  busy: boolean;
  note: string | null;
  /** The last run failed: its note is an error. */
  failed: boolean;
  setNote: (note: string | null) => void;
  run: (fn: () => Promise<unknown>, done?: string) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const run = async (fn: () => Promise<unknown>, done?: string): Promise<void> => {
    setBusy(true);
    setNote(null);
    setFailed(false);
    try {
      await fn();
      if (done !== undefined) setNote(done);
    } catch (err) {
      setFailed(true);
      setNote(err instanceof AppError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, note, failed, setNote, run };
}
