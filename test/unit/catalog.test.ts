import { describe, expect, it } from 'vitest';
import { POSTSCRIPT_TYPE_PATTERN, SKIO_EVENTS, postscriptDisplayName } from '../../src-shared/events/catalog';

describe('event catalog', () => {
  it('offers the eleven events of the help article', () => {
    expect(SKIO_EVENTS.map((e) => e.name)).toEqual([
      'Skio: Billing Reminder Notification',
      'Skio: Billing Attempt Failed',
      'Skio: New Subscription Created',
      'Skio: Subscription Cancelled',
      'Skio: Subscription Next Billing Date Updated',
      'Skio: Subscription Reactivated',
      'Skio: Surprise and Delight Rule Applied',
      'Skio: Subscription Item Out of Stock',
      'Skio: Subscription Renewed',
      'Skio: Card Expiration Notification',
      'Skio: Automation action ran',
    ]);
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
