/** The properties of a test event: the merchant's own store in its links, and dates that stay dates. */
import { describe, expect, it } from 'vitest';
import { testProperties } from '../../src-main/outbox/enqueue';
import { SKIO_EVENTS } from '../../src-shared/events/catalog';

const withUrl = SKIO_EVENTS.find((e) => 'manageSubscriptionUrl' in e.sampleProperties)!;
const withDate = SKIO_EVENTS.find((e) => 'nextBillingDate' in e.sampleProperties)!;
const store = { shopDomain: 'acme-coffee.myshopify.com' };

describe('test event properties', () => {
  it('links point at the store being set up, not the catalog example', () => {
    const props = testProperties(withUrl, store, {});
    expect(props.manageSubscriptionUrl).toBe('https://acme-coffee.myshopify.com/a/account/subscriptions/TEST');
    expect(JSON.stringify(props)).not.toContain('example-store');
  });

  it('an edited date must be a date in the same form', () => {
    expect(() => testProperties(withDate, store, {}, { nextBillingDate: 'next tuesday' })).toThrow('nextBillingDate must be a date like 2030-01-15.');
    expect(testProperties(withDate, store, {}, { nextBillingDate: '2027-03-01' }).nextBillingDate).toBe('2027-03-01');
  });
});
