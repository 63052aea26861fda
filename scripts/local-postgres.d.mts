export declare class LocalPostgresError extends Error {}
export interface PgUser {
  uid: number;
  gid: number;
}
export interface PgInstall {
  bin: { initdb: string; postgres: string };
  /** The `postgres` user the server runs as (we are root), or null (it runs as us). */
  runAs: PgUser | null;
  /** Set when the binaries run from the cache copy: says why, naming the folder. */
  note: string | null;
}
export interface PgServer {
  /** Resolves when the server process ends, for whatever reason. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  log(): string;
  stop(): Promise<void>;
}
export declare function postgresCacheRoot(): string;
export declare function packagedNativeDir(): Promise<string>;
export declare function firstClosedFolder(target: string, user: PgUser): string | null;
export declare function closedFolderMessage(folder: string): string;
export declare function preparePostgres(options?: { nativeDir?: string; cacheRoot?: string }): Promise<PgInstall>;
export declare function checkDataDir(pg: PgInstall, dataDir: string): void;
export declare function initCluster(pg: PgInstall, dataDir: string, password: string): void;
export declare function startServer(pg: PgInstall, dataDir: string, port: number, flags?: string[]): Promise<PgServer>;
