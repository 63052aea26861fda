/**
 * Explains why a request got no HTTP answer, in words the agent can act on: which proxy failed
 * and what to change, which certificate problem it was and what it means. "fetch failed" is never
 * the message.
 */
export type FailureKind = 'connect' | 'proxy' | 'tls' | 'timeout' | 'reset' | 'other';

export interface Failure {
  kind: FailureKind;
  /** Whether the request may have reached Postscript (false: certainly not). */
  sent: boolean;
  message: string;
}

export interface RouteLabel {
  /** The proxy in use, as shown to the agent (no credentials), or null when direct. */
  proxy: string | null;
  proxySource: 'app' | 'env' | 'system' | 'none';
  envVar: string | null;
  /** Host the request was for. */
  host: string;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CONNECT', 'ETIMEDOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);

const UNKNOWN_ISSUER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const WRONG_HOST = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

/** Every code in the error and its causes (undici wraps the socket's error). */
function codesOf(err: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth += 1) {
    const x = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof x.code === 'string') codes.push(x.code);
    if (typeof x.message === 'string') messages.push(x.message);
    e = x.cause;
  }
  return { codes, messages };
}

function proxyWhere(route: RouteLabel): string {
  if (route.proxySource === 'app') return 'Settings → Network → Proxy';
  if (route.proxySource === 'env') return `the ${route.envVar ?? 'HTTPS_PROXY'} environment variable (or set a proxy in Settings → Network, which overrides it)`;
  return 'your system’s proxy settings (or set a proxy in Settings → Network, which overrides them)';
}

function tlsFailure(code: string, route: RouteLabel): Failure {
  const via = route.proxy === null ? '' : ` (through the proxy ${route.proxy})`;
  if (UNKNOWN_ISSUER.has(code)) {
    return {
      kind: 'tls',
      sent: false,
      message:
        `The certificate of ${route.host}${via} was not issued by an authority this app trusts (${code}). ` +
        'Your network probably re-signs HTTPS traffic (TLS inspection): add your company’s CA certificate file in Settings → Network → CA file, or ask IT for it. Nothing was sent.',
    };
  }
  if (EXPIRED.has(code)) {
    return {
      kind: 'tls',
      sent: false,
      message: `The certificate of ${route.host}${via} has expired or is not valid yet (${code}). Check this computer’s date and time; if it is right, the server or your network’s inspection proxy has a stale certificate: tell IT. Nothing was sent.`,
    };
  }
  return {
    kind: 'tls',
    sent: false,
    message: `The certificate presented for ${route.host}${via} is for a different host (${code}). Check the live base URL in Settings; if it is right, something on your network is intercepting the connection: tell IT. Nothing was sent.`,
  };
}

export function explainFailure(err: unknown, route: RouteLabel): Failure {
  const { codes, messages } = codesOf(err);
  const tlsCode = codes.find((c) => UNKNOWN_ISSUER.has(c) || EXPIRED.has(c) || WRONG_HOST.has(c));
  if (tlsCode !== undefined) return tlsFailure(tlsCode, route);
  if (route.proxy !== null) {
    const tunnel = messages.map((m) => /Proxy response \((\d{3})\)/.exec(m)).find((m) => m !== null);
    if (tunnel !== undefined && tunnel !== null) {
      const status = Number(tunnel[1]);
      if (status === 407) {
        return {
          kind: 'proxy',
          sent: false,
          message: `The proxy ${route.proxy} asks for a user name and password (407). Enter them in Settings → Network → Proxy (or correct them there). Nothing was sent.`,
        };
      }
      return {
        kind: 'proxy',
        sent: false,
        message: `The proxy ${route.proxy} refused to connect to ${route.host} (it answered ${status}). Ask IT to allow ${route.host}:443 through the proxy, or change the proxy in ${proxyWhere(route)}. Nothing was sent.`,
      };
    }
    if (messages.some((m) => /Proxy Authentication Required/i.test(m))) {
      return { kind: 'proxy', sent: false, message: `The proxy ${route.proxy} asks for a user name and password (407). Enter them in Settings → Network → Proxy. Nothing was sent.` };
    }
    const connectCode = codes.find((c) => CONNECT_CODES.has(c));
    if (connectCode !== undefined) {
      return {
        kind: 'proxy',
        sent: false,
        message: `Could not reach the proxy ${route.proxy} (${connectCode}). Check that the proxy address is right and running, or change it in ${proxyWhere(route)}. Nothing was sent.`,
      };
    }
  }
  const connectCode = codes.find((c) => CONNECT_CODES.has(c));
  if (connectCode !== undefined) return { kind: 'connect', sent: false, message: `Could not connect to ${route.host} (${connectCode}).` };
  const timeoutCode = codes.find((c) => TIMEOUT_CODES.has(c));
  if (timeoutCode !== undefined) return { kind: 'timeout', sent: true, message: 'Postscript did not answer in time.' };
  const resetCode = codes.find((c) => RESET_CODES.has(c));
  if (resetCode !== undefined) return { kind: 'reset', sent: true, message: `The connection was dropped before an answer arrived (${resetCode}).` };
  return { kind: 'other', sent: true, message: messages[0] ?? String(err) };
}
