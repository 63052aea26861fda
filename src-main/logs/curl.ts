/** A curl command that repeats an attempt. Headers are already masked, so the key never appears. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function curlCommand(method: string, url: string, headers: Record<string, string>, body: string): string {
  const parts = [`curl -X ${method} ${shellQuote(url)}`];
  for (const [k, v] of Object.entries(headers)) parts.push(`  -H ${shellQuote(`${k}: ${v}`)}`);
  if (body !== '') parts.push(`  --data-raw ${shellQuote(body)}`);
  return `${parts.join(' \\\n')}\n# The API key is masked: put the store's private key in place of sk_…`;
}
