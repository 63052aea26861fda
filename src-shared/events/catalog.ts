/**
 * The Skio events the integration offers (facts in docs/skio-events.md). Each maps to one fixed, legal
 * Postscript event `type` (only a-z A-Z 0-9 _). Merchants build flows against that name, so a
 * `postscriptType` must never change once shipped; adding an event is one new entry here.
 */
export type SamplePropertyValue = string | number | boolean;

export interface SkioEvent {
  /** Stable key used in our database and IPC. */
  key: string;
  /** The name merchants see in Skio. */
  name: string;
  /** Skio's metric name. */
  skioMetric: string;
  /** The `type` sent to POST /api/v2/events. */
  postscriptType: string;
  description: string;
  /** Trigger settings the event supports, with defaults. */
  settings?: { daysBefore?: number };
  /** Realistic, clearly fake sample values for each property Skio sends with the event. */
  sampleProperties: Record<string, SamplePropertyValue>;
}

const COMMON = {
  email: 'test.subscriber@example.com',
  subscriptionId: 'sub_TEST_0001',
  status: 'ACTIVE',
  domain: 'example-store.myshopify.com',
} as const;

/** The sample subscription's next billing date: the test payloads' and the SKIP test subscription's. */
export const SAMPLE_NEXT_BILLING_DATE = '2030-01-15';

const BILLING = {
  nextBillingDate: SAMPLE_NEXT_BILLING_DATE,
  skioSubscriptionDaysUntilRenewal: 3,
  netSubscriptionTotal: 29.99,
  deliveryPrice: 4.99,
  total: 34.98,
  productName: 'TEST Sample Coffee Beans 12oz',
  manageSubscriptionUrl: 'https://example-store.myshopify.com/a/account/subscriptions/TEST',
  cyclesCompleted: 4,
} as const;

export const SKIO_EVENTS: readonly SkioEvent[] = [
  {
    key: 'billing_reminder',
    name: 'Skio: Billing Reminder Notification',
    skioMetric: 'subscriptionWillRenew',
    postscriptType: 'Skio_BillingReminderNotification',
    description: 'The subscriber’s order is about to process.',
    settings: { daysBefore: 3 },
    sampleProperties: { ...COMMON, ...BILLING },
  },
  {
    key: 'billing_attempt_failed',
    name: 'Skio: Billing Attempt Failed',
    skioMetric: 'billingAttemptFailed',
    postscriptType: 'Skio_BillingAttemptFailed',
    description: 'The subscriber’s card on file was declined.',
    sampleProperties: { ...COMMON, ...BILLING, status: 'FAILED' },
  },
  {
    key: 'subscription_created',
    name: 'Skio: New Subscription Created',
    skioMetric: 'subscriptionCreated',
    postscriptType: 'Skio_NewSubscriptionCreated',
    description: 'The subscriber has created a new subscription.',
    sampleProperties: { ...COMMON, ...BILLING, cyclesCompleted: 0 },
  },
  {
    key: 'subscription_cancelled',
    name: 'Skio: Subscription Cancelled',
    skioMetric: 'subscriptionCancelled',
    postscriptType: 'Skio_SubscriptionCancelled',
    description: 'The subscriber has cancelled their subscription.',
    sampleProperties: {
      ...COMMON,
      status: 'CANCELLED',
      productName: BILLING.productName,
      cancelledAt: '2030-01-10T15:04:05Z',
      skioSubscriptionCancellationReason: 'TEST: I have too much product',
    },
  },
  {
    key: 'next_billing_date_updated',
    name: 'Skio: Subscription Next Billing Date Updated',
    skioMetric: 'subscriptionNextBillingDateUpdated',
    postscriptType: 'Skio_SubscriptionNextBillingDateUpdated',
    description: 'The subscriber has changed their billing date.',
    sampleProperties: { ...COMMON, ...BILLING },
  },
  {
    key: 'subscription_reactivated',
    name: 'Skio: Subscription Reactivated',
    skioMetric: 'subscriptionReactivated',
    postscriptType: 'Skio_SubscriptionReactivated',
    description: 'The subscriber’s paused or cancelled subscription has been reactivated.',
    sampleProperties: { ...COMMON, ...BILLING },
  },
  {
    key: 'surprise_and_delight',
    name: 'Skio: Surprise and Delight Rule Applied',
    skioMetric: 'surpriseAndDelightRuleApplied',
    postscriptType: 'Skio_SurpriseAndDelightRuleApplied',
    description: 'A surprise & delight rule has been applied to the next subscription order.',
    sampleProperties: { ...COMMON, ...BILLING, hasSurpriseDiscount: true },
  },
  {
    key: 'item_out_of_stock',
    name: 'Skio: Subscription Item Out of Stock',
    skioMetric: 'subscriptionItemOutOfStock',
    postscriptType: 'Skio_SubscriptionItemOutOfStock',
    description: 'The product the subscriber is subscribed to is out of stock.',
    sampleProperties: { ...COMMON, productName: BILLING.productName, nextBillingDate: BILLING.nextBillingDate },
  },
  {
    key: 'subscription_renewed',
    name: 'Skio: Subscription Renewed',
    skioMetric: 'subscriptionRenewed',
    postscriptType: 'Skio_SubscriptionRenewed',
    description: 'The subscription order processed.',
    sampleProperties: { ...COMMON, ...BILLING, cyclesCompleted: 5 },
  },
  {
    key: 'card_expiration',
    name: 'Skio: Card Expiration Notification',
    skioMetric: 'cardWillExpire',
    postscriptType: 'Skio_CardExpirationNotification',
    description: 'The subscriber’s card on file expires.',
    sampleProperties: { ...COMMON, manageSubscriptionUrl: BILLING.manageSubscriptionUrl },
  },
  {
    key: 'automation_action_ran',
    name: 'Skio: Automation action ran',
    skioMetric: 'automationActionRan',
    postscriptType: 'Skio_AutomationActionRan',
    description: 'An automation action ran on a subscription.',
    sampleProperties: { ...COMMON, ...BILLING },
  },
];

const BY_KEY = new Map(SKIO_EVENTS.map((e) => [e.key, e]));

export function findSkioEvent(key: string): SkioEvent | undefined {
  return BY_KEY.get(key);
}

export const POSTSCRIPT_TYPE_PATTERN = /^[A-Za-z0-9_]+$/;

/** How Postscript lists a custom event in its flow builder. */
export function postscriptDisplayName(shopName: string, type: string): string {
  return `${shopName} - ${type}`;
}
