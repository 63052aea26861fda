/** Is the Test Event User a Postscript subscriber who can receive transactional texts? */
import { AppError } from '../../src-shared/errors';
import type { TestUserCheck } from '../../src-shared/ipc/contract';
import { normalizePhone } from '../../src-shared/validation/phone';
import type { PostscriptClient } from './client';

export async function checkTestUser(client: PostscriptClient, rawPhone: string, keyword: string | null): Promise<TestUserCheck> {
  const phone = normalizePhone(rawPhone);
  if (!phone.ok) throw new AppError('invalid_input', phone.message, 'phone');
  const found = await client.findSubscriberByPhone(phone.e164);
  if (found === null) {
    const how = keyword !== null && keyword !== '' ? `text ${keyword} to the store’s Postscript number` : 'text the store’s keyword to its Postscript number';
    return {
      status: 'not_found',
      e164: phone.e164,
      subscriberId: null,
      message: `No Postscript subscriber has ${phone.e164}. Postscript’s API cannot add subscribers: have this person ${how} to opt in, then check again.`,
    };
  }
  // GET /subscribers/{id} is what reports consent; the list may not carry it.
  const sub = await client.getSubscriber(found.id);
  if (sub.subscriptions?.transactional?.can_send !== true) {
    return {
      status: 'no_transactional',
      e164: phone.e164,
      subscriberId: sub.id,
      message:
        'Found, but Postscript will not send this subscriber transactional texts (no transactional opt-in). Test events will still reach Postscript, but this phone will not get the flow’s text. Use a subscriber who opted in to transactional messages.',
    };
  }
  return { status: 'ok', e164: phone.e164, subscriberId: sub.id, message: `Found subscriber ${sub.id}; Postscript can send them transactional texts.` };
}
