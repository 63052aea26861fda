/**
 * The one rule for what a failed write means: a full disk, a damaged database, a read-only or
 * not-writable place, another I/O failure, or (null) something that is not about storage. Every
 * write path (the database, the data directory at start, reports, exports, the IPC router) asks
 * here, so a full disk is called a full disk everywhere and told in the same words.
 */
import { isCorruption } from './backups';

export type WriteFailureKind = 'full' | 'damaged' | 'read_only' | 'not_writable' | 'io';

/** How a failed write is classified from its error code (SQLite's or the file system's); null when it is not a storage failure. */
export function writeFailureKind(err: unknown): WriteFailureKind | null {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (isCorruption(err)) return 'damaged';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'read_only';
  if (code === 'EACCES' || code === 'EPERM') return 'not_writable';
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'EIO') return 'io';
  return null;
}

/** How every message about a full disk begins. */
export const DISK_FULL = 'The disk is full';
