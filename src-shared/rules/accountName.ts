/**
 * Who answers a store's requests, by name: a Sandbox store talks to the app's built-in Sandbox, not
 * to Postscript, so nothing may say "Postscript accepted…" for it. One home for the readiness panel,
 * the report and the setup card.
 */
export type AccountKind = 'sandbox' | 'live';

/** `Postscript` or `the Sandbox`, inside a sentence. */
export function answererOf(account: AccountKind): string {
  return account === 'sandbox' ? 'the Sandbox' : 'Postscript';
}

/** `Postscript` or `The Sandbox`, at the start of a sentence. */
export function AnswererOf(account: AccountKind): string {
  return account === 'sandbox' ? 'The Sandbox' : 'Postscript';
}
