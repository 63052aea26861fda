#!/usr/bin/env node
/** `npm run sandbox -- --port <n>`: the Postscript Sandbox on its own. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './electron.mjs';
import { ensureBuilt } from './ensure-built.mjs';

ensureBuilt();
const child = spawn(process.execPath, [path.join(ROOT, 'out/main/sandbox-cli.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 1));
