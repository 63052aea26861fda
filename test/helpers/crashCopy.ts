/**
 * What a kill -9 leaves on disk, taken from a running core in the same process: a copy of the data
 * directory's files as they are right now (SQLite databases with their -wal, the Sandbox's state),
 * without closing anything. A new core started on the copy recovers as after a crash. Copy only
 * while the app writes nothing (e.g. while every send waits for a slow answer), or the copy may
 * catch a write half done, which a real kill would not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './tmp';

export function copyAsKilled(dataDir: string): { dir: string; cleanup: () => void } {
  const tmp = makeTempDir('psc-killed-');
  for (const name of fs.readdirSync(dataDir)) {
    const from = path.join(dataDir, name);
    const st = fs.statSync(from);
    // The lock names a live process (this one): a real kill leaves it naming a dead one, which the
    // next start takes over; leaving it out here is the same as that.
    if (!st.isFile() || name === 'app.lock' || name.endsWith('-shm')) continue;
    fs.copyFileSync(from, path.join(tmp.dir, name));
    fs.chmodSync(path.join(tmp.dir, name), st.mode & 0o777);
  }
  return tmp;
}
