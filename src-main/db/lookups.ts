/**
 * Lookups that turn "not there" into the error an agent reads. Here, below every module that uses
 * them (handlers, outbox, webhooks, postscript), so none of those has to reach up to the app.
 */
import { AppError } from '../../src-shared/errors';
import type { Repository, StoreRow } from './store';

/** The store, or the error an agent sees when it was removed meanwhile (another window, a batch). */
export function requireStore(source: { repo: Pick<Repository, 'getStore'> }, storeId: string): StoreRow {
  const row = source.repo.getStore(storeId);
  if (row === undefined) throw new AppError('not_found', 'This store no longer exists.');
  return row;
}
