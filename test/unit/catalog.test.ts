import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POSTSCRIPT_TYPE_PATTERN, SKIO_EVENTS, postscriptDisplayName } from '../../src-shared/events/catalog';

/** The events table of docs/skio-events.md: name shown to merchants and Skio's metric (or the suggested one, when Skio publishes none). */
function documentedEvents(): Array<{ name: string; metric: string }> {
  const text = fs.readFileSync(path.join(__dirname, '../../docs/skio-events.md'), 'utf8');
  return text
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => {
      const [, , name = '', metric = ''] = line.split('|').map((c) => c.trim());
      return { name, metric: /e\.g\. (\w+)/.exec(metric)?.[1] ?? metric };
    });
}

describe('event catalog', () => {
  it('offers exactly the events of the help article, as docs/skio-events.md lists them', () => {
    const documented = documentedEvents();
    expect(documented.length).toBeGreaterThan(0);
    expect(SKIO_EVENTS.map((e) => ({ name: e.name, metric: e.skioMetric }))).toEqual(documented);
  });

  it('maps each event to a distinct type Postscript accepts', () => {
    const types = SKIO_EVENTS.map((e) => e.postscriptType);
    for (const t of types) expect(t).toMatch(POSTSCRIPT_TYPE_PATTERN);
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(SKIO_EVENTS.map((e) => e.key)).size).toBe(types.length);
  });

  it('gives every event sample properties, including the common ones', () => {
    for (const e of SKIO_EVENTS) {
      expect(Object.keys(e.sampleProperties)).toEqual(expect.arrayContaining(['email', 'subscriptionId', 'status', 'domain']));
      // clearly fake: example.com addresses, test markers
      expect(String(e.sampleProperties.email)).toMatch(/@example\.com$/);
    }
  });

  it('Billing Reminder carries its daysBefore setting (Skio default 3)', () => {
    expect(SKIO_EVENTS.find((e) => e.key === 'billing_reminder')?.settings).toEqual({ daysBefore: 3 });
  });

  it('shows the event as Postscript lists it', () => {
    expect(postscriptDisplayName('Acme', 'Skio_SubscriptionRenewed')).toBe('Acme - Skio_SubscriptionRenewed');
  });
});
