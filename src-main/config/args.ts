/**
 * Command-line options for the browser shell and the Sandbox CLI: `--name value`, `--name=value`,
 * `--flag`. Parsing is Node's `util.parseArgs` (strict); this adds port-number checking and
 * messages that say what to type instead.
 */
import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';

export type ArgSpec = Record<string, 'string' | 'number' | 'boolean'>;
export type ParsedArgs = Record<string, string | number | boolean>;

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, kind] of Object.entries(spec)) options[name] = { type: kind === 'boolean' ? 'boolean' : 'string' };
  let values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  try {
    ({ values } = parseNodeArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new Error(explain(err, spec), { cause: err });
  }
  const out: ParsedArgs = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || Array.isArray(value)) continue;
    if (spec[name] === 'number') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a whole number from 0 to 65535, got "${String(value)}".`);
      out[name] = n;
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** Node's parse errors, said in this app's words (which option, and what is known). */
function explain(err: unknown, spec: ArgSpec): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  const known = Object.keys(spec).map((k) => `--${k}`).join(', ');
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option ${option}. Known: ${known}.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument "${/'([^']*)'/.exec(message)?.[1] ?? ''}". Options start with --; known: ${known}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return spec[option.replace(/^--/, '')] === 'boolean' ? `${option} takes no value.` : `${option} needs a value.`;
    default:
      return message;
  }
}
