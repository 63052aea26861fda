/**
 * The report is the merchant's proof of go-live, so it speaks to the merchant: what is needed, in
 * their terms, instead of the agent's panel actions that name this app's buttons; and nothing of the
 * agent's machine (the local webhook listener's loopback address, the app's internal store ids).
 */
import type { Account, ReadinessCheck } from '../../src-shared/ipc/contract';

const AGENT_VERIFIES = 'Not verified yet: your onboarding agent checks this with Postscript and makes this report again.';

/** What the merchant is told for a check that is not a pass. */
export function merchantAction(c: ReadinessCheck, account: Account): string | null {
  if (c.status === 'pass' || c.status === 'na' || c.status === 'noted') return null;
  if (c.status === 'unchecked' && !c.id.startsWith('event:')) return AGENT_VERIFIES;
  const sandbox = account === 'sandbox';
  switch (c.id.startsWith('event:') ? 'event' : c.id) {
    case 'key':
      if (c.status === 'warn') return 'Your onboarding agent checks the key with Postscript again before go-live.';
      return sandbox
        ? 'Your onboarding agent makes a new Sandbox key for this rehearsal.'
        : 'A new private API key made for Skio is needed: create one in Postscript → Settings → API and give it to your onboarding agent.';
    case 'test_user':
      if (c.status === 'warn') return 'The test phone must belong to a subscriber who opted in to transactional texts: use another one, or have this one opt in.';
      if (c.evidence.startsWith('No Test Event User')) return 'Your onboarding agent needs a test phone: a Postscript subscriber who can receive transactional texts.';
      return sandbox
        ? 'Your onboarding agent picks one of the Sandbox’s subscribers who can receive transactional texts.'
        : 'The person with the test phone texts the store’s keyword to its Postscript number to opt in; your agent then checks again.';
    case 'events':
      return 'Tell your onboarding agent which Skio events should start Postscript flows.';
    case 'event':
      if (c.status === 'warn') return 'The newest test of this event did not go through: your onboarding agent sends it again.';
      return 'Your onboarding agent sends a test of this event and fixes what Postscript answers.';
    case 'keyword':
      if (c.evidence.startsWith('No keyword')) return 'Tell your onboarding agent which of your Postscript keywords subscribers text to opt in.';
      return 'Create this keyword in Postscript (Keywords), or tell your onboarding agent which existing keyword to use.';
    case 'skip':
      return sandbox
        ? 'Your onboarding agent rehearses a SKIP reply in the Sandbox before go-live.'
        : 'Once your onboarding agent has registered the SKIP webhook, reply SKIP from the test phone: the test subscription’s next order should move.';
    case 'skip_word':
      return 'Choose another SKIP word with your onboarding agent, or remove the keyword of the same name in Postscript.';
    case 'skiosms':
      return 'Turn these events off in SkioSMS, so subscribers get one text each, or ask your onboarding agent to turn them off here.';
    case 'webhooks':
      return c.evidence.startsWith('The webhook listener moved')
        ? 'Your onboarding agent registers the SKIP webhook again at its new address.'
        : 'Your onboarding agent removes the test webhook registration when SKIP testing is over.';
    default:
      return 'Your onboarding agent takes care of this before go-live.';
  }
}

const LOOPBACK_URL = /\bhttps?:\/\/(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?(?:\/[^\s;,()]*)?/gi;
const STORE_ID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/** `Postscript answered <time> (asked by Re-check with Postscript)`: the app's wording for where evidence came from. */
const PROVENANCE = /\b(Postscript|The Sandbox) answered (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC) \(asked by [^)]*\)/g;
/** `is Postscript subscriber s_1ddeb0optin with`: the subscriber's internal id means nothing to the merchant. */
const SUBSCRIBER_ID = /\bis (Postscript|Sandbox) subscriber \S+ with\b/g;

/**
 * Evidence as the merchant reads it: the agent's local listener named as such, sources in their
 * terms ("checked by the onboarding agent with Postscript on …"), no internal ids.
 */
export function forMerchant(text: string): string {
  return text
    .replace(LOOPBACK_URL, 'the onboarding agent’s local test listener')
    .replace(STORE_ID, '…')
    .replace(PROVENANCE, (_m, who: string, at: string) => `Checked by the onboarding agent with ${who === 'The Sandbox' ? 'the Sandbox' : who} on ${at}`)
    .replace(SUBSCRIBER_ID, (_m, who: string) => `is a ${who} subscriber with`);
}

/** Keys of the payload that identify the app's own test send, not what the merchant's flow sees. */
const INTERNAL_KEYS = new Set(['external_id', 'event_ids', 'event_id', 'id', 'ids']);

/**
 * The payload and answer as the merchant sees them: the event's name and properties, without the
 * app's ids for its own send (`external_id`) or Postscript's ids for the event (`event_ids`).
 */
export function detailsForMerchant(details: ReadinessCheck['details']): ReadinessCheck['details'] {
  return details.flatMap((d) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(d.text);
    } catch {
      return [d];
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [d];
    const kept = Object.fromEntries(Object.entries(parsed).filter(([k]) => !INTERNAL_KEYS.has(k)));
    return Object.keys(kept).length === 0 ? [] : [{ label: d.label, text: JSON.stringify(kept, null, 2) }];
  });
}
