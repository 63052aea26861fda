import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src-main/config/args';

describe('command-line options', () => {
  const spec = { port: 'number', 'no-open': 'boolean', host: 'string' } as const;
  it('reads values, flags and --name=value', () => {
    expect(parseArgs(['--port', '5000', '--no-open', '--host=127.0.0.1'], spec)).toEqual({ port: 5000, 'no-open': true, host: '127.0.0.1' });
  });
  it('says which options exist when given an unknown one', () => {
    expect(() => parseArgs(['--prot', '1'], spec)).toThrow(/Unknown option --prot.*--port/);
  });
  it('refuses a port that is not a port', () => {
    expect(() => parseArgs(['--port', 'abc'], spec)).toThrow(/whole number/);
    expect(() => parseArgs(['--port', '70000'], spec)).toThrow(/whole number/);
  });
});
