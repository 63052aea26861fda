import { useState } from 'react';
import { AppError } from '../../../src-shared/errors';
import type { SaveSettingsInput } from '../../../src-shared/ipc/contract';
import { useSettings } from '../../state/settings';

/** Saves a section's fields: busy, a note when saved, and the refusal shown on its field. */
export function useSectionSave(): {
  busy: boolean;
  saved: string | null;
  error: { field: string | null; message: string } | null;
  save: (input: SaveSettingsInput, done: string) => Promise<boolean>;
} {
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const save = async (input: SaveSettingsInput, done: string): Promise<boolean> => {
    setBusy(true);
    setSaved(null);
    setError(null);
    try {
      await useSettings.getState().save(input);
      setSaved(done);
      return true;
    } catch (err) {
      setError(err instanceof AppError ? { field: err.field ?? null, message: err.message } : { field: null, message: String(err) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, saved, error, save };
}
