/**
 * The main process's own record of what went wrong: `<data dir>/logs/main.log`, private to the user
 * (directory 0700, file 0600), one line per fault with its stack. Anything that looks like a secret
 * (Postscript keys, Bearer tokens, passwords in URLs) is masked before it is written, because the
 * log is what an agent attaches to a support ticket.
 */
import fs from 'node:fs';
import path from 'node:path';
import { maskSecret } from '../../src-shared/mask';

const MAX_BYTES = 2 * 1024 * 1024;

/** Masks secrets a stack or a message may carry: sk_/pk_ keys, Bearer tokens, URL passwords. */
export function maskSecretsInText(text: string): string {
  return text
    .replace(/\b(?:sk_partner_|sk_|pk_)[A-Za-z0-9_]{8,}/g, (m) => maskSecret(m))
    .replace(/(Bearer\s+)[^\s"',]+/gi, (_m, p: string) => `${p}••••`)
    .replace(/(\/\/[^:/\s@]+:)[^@\s/]+@/g, '$1••••@');
}

export class FaultLog {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'logs', 'main.log');
  }

  /** Appends one entry; never throws (a full disk must not turn a fault into a crash). */
  record(where: string, err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    const stack = err instanceof Error && err.stack !== undefined ? err.stack : message;
    const line = `${new Date().toISOString()} [${where}] ${maskSecretsInText(stack).replace(/\n/g, '\n    ')}\n`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      // Keep one previous file so the log cannot fill the disk.
      const size = fs.statSync(this.file, { throwIfNoEntry: false })?.size ?? 0;
      if (size > MAX_BYTES) fs.renameSync(this.file, `${this.file}.1`);
      fs.appendFileSync(this.file, line, { mode: 0o600 });
    } catch {
      // Nowhere left to write it: stderr is the last resort.
      process.stderr.write(line);
    }
    return maskSecretsInText(message);
  }
}
