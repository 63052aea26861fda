/** How every store picker names a store: its name, domain, Live or Sandbox, and Archived when it is. */
export function storeEntryLabel(s: { name: string; shopDomain: string; account: 'sandbox' | 'live'; archived: boolean }): string {
  return `${s.name} (${s.shopDomain}) · ${s.account === 'live' ? 'Live' : 'Sandbox'}${s.archived ? ' · Archived' : ''}`;
}
