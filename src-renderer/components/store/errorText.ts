import { AppError } from '../../../src-shared/errors';

/** What an agent reads for a failed call: the AppError's message, else the error as text. */
export function errorText(err: unknown): string {
  return err instanceof AppError ? err.message : String(err);
}
