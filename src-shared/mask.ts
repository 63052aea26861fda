/**
 * The only form in which a secret is ever shown: its prefix and last four characters,
 * e.g. `sk_…a1b2`. Short or unrecognisable values are masked entirely so that a typo'd key
 * pasted into the wrong field never leaks through the mask.
 */
export function maskSecret(secret: string): string {
  const trimmed = secret.trim();
  if (trimmed.length < 12) return '••••';
  const prefix = /^(sk_partner_|sk_|pk_)/.exec(trimmed)?.[1] ?? '';
  return `${prefix}…${trimmed.slice(-4)}`;
}

/** Replaces every occurrence of each secret in `text` with its mask. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    out = out.split(secret).join(maskSecret(secret));
  }
  return out;
}
