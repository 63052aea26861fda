/** A tiny, strict command-line parser: `--name value`, `--flag`, `--name=value`. */
export type ArgSpec = Record<string, 'string' | 'number' | 'boolean'>;
export type ParsedArgs = Record<string, string | number | boolean>;

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const out: ParsedArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}".`);
    const [rawName, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const kind = spec[rawName];
    if (kind === undefined) throw new Error(`Unknown option --${rawName}. Known: ${Object.keys(spec).map((k) => `--${k}`).join(', ')}.`);
    if (kind === 'boolean') {
      out[rawName] = inline === undefined ? true : inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${rawName} needs a value.`);
    if (kind === 'number') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${rawName} must be a whole number from 0 to 65535, got "${value}".`);
      out[rawName] = n;
    } else {
      out[rawName] = value;
    }
  }
  return out;
}
