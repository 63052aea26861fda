/* global module */
/**
 * The floors of docs/architecture.md ("Floors: who may import whom"), kept by dependency-cruiser as
 * part of `npm run lint`: an import that breaks one fails with the rule's name.
 *
 *   main process: shells → app → handlers → services → db (each imports only its own floor or below)
 *   src-renderer never imports src-main; src-shared imports neither, nor any Node built-in.
 *
 * Type-only imports count too (tsPreCompilationDeps): a type from a floor above is still a
 * dependency on it. test/unit/importFloors.test.ts shows each rule failing on a bad import.
 */
const SHELLS = '^src-main/(shells/|browser-shell\\.ts$|sandbox-cli\\.ts$|config/|team/teamDbCli\\.ts$)';
const APP = '^src-main/app/';
const HANDLERS = '^src-main/(handlers/|ipc/router\\.ts$|ipc/validationMessage\\.ts$)';
const DB = '^src-main/db/';
/** Everything else in src-main: webhooks, outbox, postscript, ratelimit, secrets, logs, sandbox, ... */
const NOT_SERVICES = [SHELLS, APP, HANDLERS, DB];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'floor-db-imports-above',
      comment: 'db/ is the lowest floor of the main process: it imports nothing else from src-main.',
      severity: 'error',
      from: { path: DB },
      to: { path: '^src-main/', pathNot: DB },
    },
    {
      name: 'floor-services-import-handlers-app-or-shells',
      comment: 'Services (outbox, webhooks, postscript, ...) take narrow deps types; they never import handlers, app or shells.',
      severity: 'error',
      from: { path: '^src-main/', pathNot: NOT_SERVICES },
      to: { path: [HANDLERS, APP, SHELLS] },
    },
    {
      name: 'floor-handlers-import-app-or-shells',
      comment: 'Handlers are registered by app/core.ts; they never import it or a shell.',
      severity: 'error',
      from: { path: HANDLERS },
      to: { path: [APP, SHELLS] },
    },
    {
      name: 'floor-app-imports-shells',
      comment: 'A shell starts the app; the app never imports a shell.',
      severity: 'error',
      from: { path: APP },
      to: { path: SHELLS },
    },
    {
      name: 'renderer-imports-main',
      comment: 'The renderer reaches main only through the contract (src-shared/ipc) and the bridge.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/' },
    },
    {
      name: 'main-imports-renderer',
      comment: 'The main process never imports renderer code.',
      severity: 'error',
      from: { path: '^src-main/' },
      to: { path: '^src-renderer/' },
    },
    {
      name: 'shared-imports-main-or-renderer',
      comment: 'src-shared is below both sides: it imports neither.',
      severity: 'error',
      from: { path: '^src-shared/' },
      to: { path: '^src-(main|renderer)/' },
    },
    {
      name: 'shared-imports-node-or-ui',
      comment: 'src-shared runs on both sides: no Node built-in, no Electron, no React.',
      severity: 'error',
      from: { path: '^src-shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-imports-electron-or-react',
      comment: 'src-shared runs on both sides: no Electron, no React.',
      severity: 'error',
      from: { path: '^src-shared/' },
      to: { path: 'node_modules/(electron|react|react-dom)/' },
    },
    {
      name: 'no-circular',
      comment: 'No circle of imports, type-only ones included: two files that need each other\'s types are one job, or their shared types belong in a file of their own.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(out|test|node_modules)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.js', '.cjs', '.json', '.d.ts'] },
  },
};
