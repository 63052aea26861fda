/** The Settings screen's values and the secrets among them (SQL only; meaning lives in settings/). */
import type { Db } from './database';
import { prepared } from './prepared';

export interface StoredSecret {
  scheme: string;
  ciphertext: Buffer;
  mask: string;
}

export class SettingsRepository {
  constructor(private readonly db: Db) {}

  all(): Record<string, unknown> {
    const rows = prepared(this.db, `SELECT key, value_json AS v FROM settings`).all() as Array<{ key: string; v: string }>;
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.v) as unknown]));
  }

  getSecret(key: string): StoredSecret | undefined {
    return prepared(this.db, `SELECT scheme, ciphertext, mask FROM setting_secrets WHERE key = ?`).get(key) as StoredSecret | undefined;
  }

  /**
   * Writes every change at once, or none: values (null removes the key), secrets (null removes),
   * and whatever else `alsoInside` writes (the retention days, kept where the pruner reads them).
   */
  saveAll(values: Record<string, unknown>, secrets: Record<string, StoredSecret | null>, alsoInside: () => void = () => undefined): void {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(values)) {
        if (value === null) prepared(this.db, `DELETE FROM settings WHERE key = ?`).run(key);
        else {
          prepared(this.db, `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
                             ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`).run(key, JSON.stringify(value), now);
        }
      }
      for (const [key, secret] of Object.entries(secrets)) {
        if (secret === null) prepared(this.db, `DELETE FROM setting_secrets WHERE key = ?`).run(key);
        else {
          prepared(this.db, `INSERT INTO setting_secrets (key, scheme, ciphertext, mask, updated_at) VALUES (?, ?, ?, ?, ?)
                             ON CONFLICT (key) DO UPDATE SET scheme = excluded.scheme, ciphertext = excluded.ciphertext, mask = excluded.mask, updated_at = excluded.updated_at`)
            .run(key, secret.scheme, secret.ciphertext, secret.mask, now);
        }
      }
      alsoInside();
    })();
  }
}
