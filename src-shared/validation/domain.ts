/**
 * Normalises what an agent pastes for a store (a bare handle, a myshopify domain, or an admin URL)
 * into the canonical `handle.myshopify.com`, or says what is wrong with it.
 */
export type DomainCheck = { ok: true; domain: string } | { ok: false; message: string };

const HANDLE = /^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$/;

export function normalizeShopDomain(raw: string): DomainCheck {
  let value = raw.trim().toLowerCase();
  if (value.length === 0) return { ok: false, message: 'Enter the store’s myshopify domain, e.g. acme-coffee.myshopify.com.' };
  value = value.replace(/^https?:\/\//, '');
  // admin.shopify.com/store/<handle> is how the Shopify admin shows a store nowadays.
  const admin = /^admin\.shopify\.com\/store\/([^/?#]+)/.exec(value);
  if (admin?.[1] !== undefined) value = admin[1];
  value = value.replace(/[/?#].*$/, '');
  if (value.endsWith('.myshopify.com')) value = value.slice(0, -'.myshopify.com'.length);
  if (value.includes('.')) {
    return {
      ok: false,
      message: 'Use the store’s myshopify domain (handle.myshopify.com), not its custom domain: find it in Shopify admin → Settings → Domains.',
    };
  }
  if (!HANDLE.test(value)) {
    return {
      ok: false,
      message: 'A myshopify handle has 3–60 lowercase letters, digits or hyphens and cannot start or end with a hyphen.',
    };
  }
  return { ok: true, domain: `${value}.myshopify.com` };
}
