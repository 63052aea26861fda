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
      message: 'Use the store’s myshopify domain (like acme-coffee.myshopify.com), not its custom domain: find it in Shopify admin → Settings → Domains.',
    };
  }
  if (!HANDLE.test(value)) return { ok: false, message: handleProblem(value) };
  return { ok: true, domain: `${value}.myshopify.com` };
}

/** Names what is wrong with the part before .myshopify.com, in the field's own words. */
function handleProblem(value: string): string {
  const rule = 'A Shopify domain is 3–60 lowercase letters, digits or hyphens before .myshopify.com';
  if (/\s/.test(value)) return `The Shopify domain cannot contain spaces: try ${value.trim().split(/\s+/).join('-')}.myshopify.com.`;
  const bad = [...new Set(value.replace(/[a-z0-9-]/g, ''))];
  if (bad.length > 0) return `The Shopify domain cannot contain ${bad.map((c) => `“${c}”`).join(' or ')}. ${rule}.`;
  if (value.startsWith('-') || value.endsWith('-')) return `The Shopify domain cannot start or end with a hyphen. ${rule}.`;
  if (value.length < 3) return `The Shopify domain is too short. ${rule}.`;
  return `The Shopify domain is too long. ${rule}.`;
}
