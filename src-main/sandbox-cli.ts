/**
 * `npm run sandbox -- --port <n> [--host 127.0.0.1] [--state <file>]`: runs the Postscript Sandbox
 * alone, for scripts and for pointing other tools at a Postscript-compatible API.
 */
import { Sandbox } from './sandbox/server';
import { DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, DEMO_SHOP_NAME } from './sandbox/state';
import { parseArgs } from './config/args';
import { refuseIfInHeldDataDir } from './app/dataDir';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { port: 'number', host: 'string', state: 'string' });
  const stateFile = typeof args.state === 'string' ? args.state : null;
  // The app saves its own Sandbox in its data directory: two writers would overwrite each other.
  if (stateFile !== null) {
    refuseIfInHeldDataDir(stateFile, 'The state file', 'That app already runs its own Sandbox (Sandbox screen). Quit it first, or give --state a file outside its data directory.');
  }
  const sandbox = new Sandbox({ stateFile });
  const host = typeof args.host === 'string' ? args.host : '127.0.0.1';
  const url = await sandbox.listen(typeof args.port === 'number' ? args.port : 0, host);
  process.stdout.write(
    [
      `Postscript Sandbox listening on ${url}`,
      `  demo shop: ${DEMO_SHOP_NAME}`,
      `  private key: ${DEMO_PRIVATE_KEY}   (sandbox only; texts no one)`,
      `  public key:  ${DEMO_PUBLIC_KEY}   (refused, as Postscript refuses pk_ keys)`,
      `  control API: ${url}/_sandbox/state`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
