import { describe, expect, it } from 'vitest';
import { keyHint } from '../../src-main/readiness/checks';
import { scrubKeys } from '../../src-main/readiness/reportDoc';
import { esc, prettyDetail } from '../../src-main/readiness/reportHtml';

describe('report text', () => {
  it('shows a key as its last four characters only, never its prefix', () => {
    expect(keyHint('sk_…a1b2')).toBe('key ending a1b2');
    expect(keyHint('••••')).toBe('key (masked)');
    expect(keyHint(null)).toBeNull();
  });

  it('removes anything that looks like a Postscript key, whatever text it sits in', () => {
    const text = 'Bearer sk_sandbox_0123456789abcdef, "pk_live_x" and SK_partner_9; risk_free stays';
    expect(scrubKeys(text)).toBe('Bearer [key removed], "[key removed]" and [key removed]; risk_free stays');
  });

  it('escapes markup and cuts long payloads, saying where the rest is', () => {
    expect(esc(`<img src=x onerror="a">'`)).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;&#39;');
    expect(prettyDetail('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyDetail('x'.repeat(5000))).toMatch(/… \(1000 more characters in the delivery log\)$/);
  });
});
