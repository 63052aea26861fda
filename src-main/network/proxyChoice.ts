/**
 * Which proxy calls to live Postscript go through, and why. In order: the proxy set in the app's
 * Settings, then HTTPS_PROXY / HTTP_PROXY (with NO_PROXY), then the operating system's proxy
 * (Electron asks the OS; the browser shell has no such question to ask), else a direct connection.
 */
export type ProxySource = 'app' | 'env' | 'system' | 'none';

export interface ProxyChoice {
  source: ProxySource;
  /** Proxy URL with credentials, for undici only; null when direct. Never shown or logged. */
  url: string | null;
  /** The proxy as the agent may read it: scheme, host and port, no credentials. */
  label: string | null;
  /** Hosts that bypass the proxy (NO_PROXY syntax). */
  noProxy: string;
  /** The variable the proxy came from, when it came from the environment. */
  envVar: string | null;
}

export const DIRECT: ProxyChoice = { source: 'none', url: null, label: null, noProxy: '', envVar: null };

/** `http://host:port` without user or password, for messages. */
export function proxyLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(a proxy address that is not a URL)';
  }
}

/** Checks a proxy address typed by the agent; returns the reason it is refused, or null. */
export function proxyUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url.includes('://') ? url : `http://${url}`);
  } catch {
    return `“${url}” is not a proxy address. Write it like http://proxy.example.com:8080.`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `Only http:// and https:// proxies are supported, not ${u.protocol}//.`;
  if (u.username !== '' || u.password !== '') return 'Put the proxy user name and password in their own fields, not in the address.';
  if (u.pathname !== '/' || u.search !== '') return 'A proxy address is only scheme, host and port, like http://proxy.example.com:8080.';
  return null;
}

export function normalizeProxyUrl(url: string): string {
  const u = new URL(url.includes('://') ? url : `http://${url}`);
  return `${u.protocol}//${u.host}`;
}

/** The environment's NO_PROXY (lower case first, as curl reads it) and its variable's name, if set. */
export function envNoProxy(env: NodeJS.ProcessEnv = process.env): { envVar: string; value: string } | null {
  if (env.no_proxy !== undefined && env.no_proxy.trim() !== '') return { envVar: 'no_proxy', value: env.no_proxy.trim() };
  if (env.NO_PROXY !== undefined && env.NO_PROXY.trim() !== '') return { envVar: 'NO_PROXY', value: env.NO_PROXY.trim() };
  return null;
}

/** Reads the standard variables, lower case first as curl does. */
export function proxyFromEnv(targetUrl: string, env: NodeJS.ProcessEnv = process.env): ProxyChoice | null {
  const https = targetUrl.startsWith('https:');
  const candidates: Array<[string, string | undefined]> = https
    ? [['https_proxy', env.https_proxy], ['HTTPS_PROXY', env.HTTPS_PROXY], ['http_proxy', env.http_proxy], ['HTTP_PROXY', env.HTTP_PROXY]]
    : [['http_proxy', env.http_proxy], ['HTTP_PROXY', env.HTTP_PROXY]];
  const hit = candidates.find(([, v]) => v !== undefined && v.trim() !== '');
  if (hit === undefined) return null;
  const url = hit[1]!.trim();
  const full = url.includes('://') ? url : `http://${url}`;
  return { source: 'env', url: full, label: proxyLabel(full), noProxy: envNoProxy(env)?.value ?? '', envVar: hit[0] };
}

/**
 * Turns Chromium's PAC-style answer (`PROXY host:port; DIRECT`, from Electron's
 * session.resolveProxy) into a proxy URL, or null for DIRECT / SOCKS (not supported here).
 */
export function proxyFromPacResult(pac: string): string | null {
  for (const part of pac.split(';').map((s) => s.trim())) {
    const m = /^(PROXY|HTTPS)\s+(\S+)$/i.exec(part);
    if (m !== null) return `${m[1]!.toUpperCase() === 'HTTPS' ? 'https' : 'http'}://${m[2]}`;
    if (/^DIRECT$/i.test(part)) return null;
  }
  return null;
}

export interface ProxyInputs {
  app: { url: string; username: string | null; password: string | null; noProxy: string } | null;
  systemUrl: string | null;
  targetUrl: string;
  env?: NodeJS.ProcessEnv;
}

export function chooseProxy(inputs: ProxyInputs): ProxyChoice {
  if (inputs.app !== null) {
    const u = new URL(normalizeProxyUrl(inputs.app.url));
    if (inputs.app.username !== null && inputs.app.username !== '') {
      u.username = encodeURIComponent(inputs.app.username);
      u.password = encodeURIComponent(inputs.app.password ?? '');
    }
    return { source: 'app', url: u.toString(), label: proxyLabel(u.toString()), noProxy: inputs.app.noProxy, envVar: null };
  }
  const fromEnv = proxyFromEnv(inputs.targetUrl, inputs.env);
  if (fromEnv !== null) return fromEnv;
  if (inputs.systemUrl !== null) return { source: 'system', url: inputs.systemUrl, label: proxyLabel(inputs.systemUrl), noProxy: '', envVar: null };
  return DIRECT;
}

/**
 * Does NO_PROXY (or the Settings screen's "Reach directly") list this host? Entries are separated
 * by commas or spaces; `*` is every host; `example.com` and `.example.com` match it and its
 * subdomains; `host:port` only that port. The same reading undici gives it for HTTPS.
 */
export function bypassesProxy(host: string, port: number, noProxy: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    // host:port or [v6]:port; a bare IPv6 address has colons of its own and no port.
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? (entry.split(':').length === 2 ? /^(.*):(\d+)$/.exec(entry) : null);
    const name = (m === null ? entry : m[1]!).replace(/^\*?\./, '');
    if (m?.[2] !== undefined && Number(m[2]) !== port) continue;
    if (h === name || h.endsWith(`.${name}`)) return true;
  }
  return false;
}

/**
 * The way a request to `targetUrl` actually goes, in the agent's words: the proxy (and who set it),
 * or direct, and why (no proxy, or the host is in NO_PROXY / Settings' "No proxy for").
 */
export function describeRoute(proxy: ProxyChoice, targetUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  if (proxy.url === null) return 'direct (no proxy set)';
  const where = proxy.source === 'app' ? 'Settings' : proxy.source === 'env' ? (proxy.envVar ?? 'environment') : 'system';
  let target: URL | null;
  try {
    target = new URL(targetUrl);
  } catch {
    target = null;
  }
  if (target !== null) {
    const port = target.port !== '' ? Number(target.port) : target.protocol === 'https:' ? 443 : 80;
    if (bypassesProxy(target.hostname, port, proxy.noProxy)) {
      const list = proxy.source === 'env' ? (envNoProxy(env)?.envVar ?? 'NO_PROXY') : 'Settings’ “No proxy for”';
      return `direct: ${target.hostname} is in ${list} (${proxy.noProxy}), so the proxy ${proxy.label ?? ''} (${where}) is not used`;
    }
  }
  return `${proxy.label ?? ''} (${where})`;
}
