export declare const ROOT: string;
export declare function probeElectron(): { ok: true; binary: string } | { ok: false; reason: string };
export declare function ensureElectronSqliteBinding(): string | null;
