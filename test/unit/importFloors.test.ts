/**
 * `npm run lint` keeps the floors with dependency-cruiser (.dependency-cruiser.cjs). Here the
 * project's own config runs on a small tree that breaks each floor once, as a wrong import would,
 * and must refuse every one of them by its rule's name, and accept the imports that go down.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/tmp';

const ROOT = path.resolve(__dirname, '../..');
const tmp = makeTempDir('psc-floors-');
afterAll(() => tmp.cleanup());

/** file → its text. Each bad import names the rule that must refuse it. */
const TREE: Record<string, string> = {
  // Allowed: each floor importing its own or a lower one.
  'src-main/shells/electron/main.ts': `import { start } from '../../app/core';\nimport { ok } from '../../../src-shared/ok';\nexport const main = [start, ok];\n`,
  'src-main/app/core.ts': `import { handlers } from '../handlers/stores';\nexport const start = handlers;\n`,
  'src-main/handlers/stores.ts': `import { send } from '../outbox/dispatcher';\nimport { rows } from '../db/store';\nexport const handlers = [send, rows];\n`,
  'src-main/outbox/dispatcher.ts': `import { rows } from '../db/store';\nexport const send = rows;\n`,
  'src-main/db/store.ts': `export const rows = 1;\n`,
  'src-shared/ok.ts': `export const ok = 1;\n`,
  'src-renderer/App.tsx': `import { ok } from '../src-shared/ok';\nexport const App = ok;\n`,
  // Shared types in a file of their own: no circle.
  'src-main/sandbox/state.ts': `import { open } from './stateFile';\nimport type { Shop } from './stateTypes';\nexport const state = (s: Shop) => open(s);\n`,
  'src-main/sandbox/stateFile.ts': `import type { Shop } from './stateTypes';\nexport const open = (s: Shop) => s.id;\n`,
  'src-main/sandbox/stateTypes.ts': `export interface Shop { id: string }\n`,
  // Broken, one per rule.
  'src-main/db/upward.ts': `import { handlers } from '../handlers/stores'; // floor-db-imports-above\nexport const u = handlers;\n`,
  'src-main/webhooks/processor.ts': `import type { Ctx } from '../handlers/context'; // floor-services-import-handlers-app-or-shells (type-only counts)\nexport type P = Ctx;\n`,
  'src-main/handlers/context.ts': `import { start } from '../app/core'; // floor-handlers-import-app-or-shells\nexport type Ctx = typeof start;\n`,
  'src-main/app/lastResort.ts': `import { main } from '../shells/electron/main'; // floor-app-imports-shells\nexport const l = main;\n`,
  'src-renderer/state/stores.ts': `import { rows } from '../../src-main/db/store'; // renderer-imports-main\nexport const s = rows;\n`,
  'src-main/logs/export.ts': `import { App } from '../../src-renderer/App'; // main-imports-renderer\nexport const e = App;\n`,
  'src-shared/validation.ts': `import { rows } from '../src-main/db/store'; // shared-imports-main-or-renderer\nimport path from 'node:path'; // shared-imports-node-or-ui\nexport const v = [rows, path];\n`,
  'src-main/ratelimit/a.ts': `import { b } from './b'; // no-circular\nexport const a = () => b;\n`,
  'src-main/ratelimit/b.ts': `import { a } from './a';\nexport const b = () => a;\n`,
  // A circle through a type-only import is refused too (the shared types belong in their own file).
  'src-main/logs/c.ts': `import { d } from './d'; // no-circular (type-only counts)\nexport interface C { n: number }\nexport const c = d;\n`,
  'src-main/logs/d.ts': `import type { C } from './c';\nexport const d = (x: C) => x.n;\n`,
};

function runLint(): { status: number | null; out: string } {
  for (const [file, text] of Object.entries(TREE)) {
    fs.mkdirSync(path.dirname(path.join(tmp.dir, file)), { recursive: true });
    fs.writeFileSync(path.join(tmp.dir, file), text);
  }
  const bin = path.join(ROOT, 'node_modules/.bin/depcruise');
  // Plain text whatever the caller's terminal: `npm test` sets FORCE_COLOR=1 outside CI, and coloured
  // rule names would not be read below.
  const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  const r = spawnSync(bin, ['src-main', 'src-renderer', 'src-shared', '--config', path.join(ROOT, '.dependency-cruiser.cjs')], { cwd: tmp.dir, encoding: 'utf8', env });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** "error <rule>: <from> → <to>" lines of depcruise's report, as [rule, from]. */
function violations(out: string): string[][] {
  return [...out.matchAll(/^\s*error (\S+): (\S+) → /gm)].map((m) => [m[1]!, m[2]!]);
}

describe('import floors (dependency-cruiser in npm run lint)', () => {
  it('refuses each import that breaks a floor, by the rule’s name, and nothing else', () => {
    const { status, out } = runLint();
    expect(status, out).not.toBe(0);
    expect(violations(out).sort(), out).toEqual(
      [
        ['floor-db-imports-above', 'src-main/db/upward.ts'],
        ['floor-services-import-handlers-app-or-shells', 'src-main/webhooks/processor.ts'],
        ['floor-handlers-import-app-or-shells', 'src-main/handlers/context.ts'],
        ['floor-app-imports-shells', 'src-main/app/lastResort.ts'],
        ['renderer-imports-main', 'src-renderer/state/stores.ts'],
        ['main-imports-renderer', 'src-main/logs/export.ts'],
        ['shared-imports-main-or-renderer', 'src-shared/validation.ts'],
        ['shared-imports-node-or-ui', 'src-shared/validation.ts'],
        ['no-circular', 'src-main/ratelimit/a.ts'],
        ['no-circular', 'src-main/logs/c.ts'],
      ].sort(),
    );
  });
});
