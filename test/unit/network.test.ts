/** Proxy choice and failure explanations (issue 13): what the agent reads decides what they fix. */
import { describe, expect, it } from 'vitest';
import { explainFailure } from '../../src-main/network/networkErrors';
import { bypassesProxy, chooseProxy, proxyFromPacResult } from '../../src-main/network/proxyChoice';
import { legDelayMs } from '../../src-main/sandbox/networkFaults';

const direct = { proxy: null, proxySource: 'none' as const, envVar: null, host: 'api.postscript.io' };
const viaEnv = { proxy: 'http://proxy.corp:3128', proxySource: 'env' as const, envVar: 'HTTPS_PROXY', host: 'api.postscript.io' };
const wrapped = (code: string, message = 'fetch failed') => Object.assign(new TypeError(message), { cause: Object.assign(new Error(code), { code }) });

describe('certificate and proxy failures', () => {
  it('tells an unknown issuer, an expired certificate and a wrong host apart; none was sent', () => {
    const unknown = explainFailure(wrapped('SELF_SIGNED_CERT_IN_CHAIN'), direct);
    expect(unknown).toMatchObject({ kind: 'tls', sent: false });
    expect(unknown.message).toMatch(/re-signs HTTPS traffic.*add your company’s CA certificate file in Settings/);
    expect(explainFailure(wrapped('CERT_HAS_EXPIRED'), direct).message).toMatch(/has expired or is not valid yet.*date and time/);
    expect(explainFailure(wrapped('ERR_TLS_CERT_ALTNAME_INVALID'), direct).message).toMatch(/for a different host/);
  });

  it('names the proxy and where it was set, never "fetch failed"', () => {
    const dead = explainFailure(wrapped('ECONNREFUSED'), viaEnv);
    expect(dead).toMatchObject({ kind: 'proxy', sent: false });
    expect(dead.message).toMatch(/Could not reach the proxy http:\/\/proxy\.corp:3128 \(ECONNREFUSED\).*the HTTPS_PROXY environment variable/);
    expect(dead.message).not.toMatch(/fetch failed/);
    const auth = explainFailure(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), viaEnv);
    expect(auth.message).toMatch(/asks for a user name and password \(407\)/);
    expect(explainFailure(new Error('Proxy response (502) !== 200 when HTTP Tunneling'), viaEnv).message).toMatch(/refused to connect to api\.postscript\.io \(it answered 502\)/);
  });

  it('without a proxy, a refused connection is the host’s; a reset after sending may have arrived', () => {
    expect(explainFailure(wrapped('ECONNREFUSED'), direct)).toMatchObject({ kind: 'connect', sent: false, message: 'Could not connect to api.postscript.io (ECONNREFUSED).' });
    expect(explainFailure(wrapped('UND_ERR_SOCKET'), direct)).toMatchObject({ kind: 'reset', sent: true });
  });
});

describe('which proxy', () => {
  const env = { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', NO_PROXY: 'internal.example' };
  it('the app’s proxy wins over the environment, which wins over the system', () => {
    const app = { url: 'http://app-proxy:8080', username: 'agent', password: 'p@ss word', noProxy: '' };
    const chosen = chooseProxy({ app, systemUrl: 'http://sys:3128', targetUrl: 'https://api.postscript.io', env });
    expect(chosen).toMatchObject({ source: 'app', label: 'http://app-proxy:8080' });
    expect(decodeURIComponent(new URL(chosen.url!).password)).toBe('p@ss word');
    expect(chooseProxy({ app: null, systemUrl: 'http://sys:3128', targetUrl: 'https://api.postscript.io', env })).toMatchObject({ source: 'env', url: 'http://lower:2', envVar: 'https_proxy', noProxy: 'internal.example' });
    expect(chooseProxy({ app: null, systemUrl: 'http://sys:3128', targetUrl: 'https://api.postscript.io', env: {} })).toMatchObject({ source: 'system', label: 'http://sys:3128' });
    expect(chooseProxy({ app: null, systemUrl: null, targetUrl: 'https://api.postscript.io', env: {} })).toMatchObject({ source: 'none', url: null });
  });

  it('reads Chromium’s PAC answers', () => {
    expect(proxyFromPacResult('PROXY proxy.corp:3128; DIRECT')).toBe('http://proxy.corp:3128');
    expect(proxyFromPacResult('HTTPS secure.corp:443')).toBe('https://secure.corp:443');
    expect(proxyFromPacResult('DIRECT')).toBeNull();
  });

  it('"No proxy for" names hosts, their subdomains, a port, or everything (the team database takes it too)', () => {
    expect(bypassesProxy('db.corp.example', 5432, 'corp.example')).toBe(true);
    expect(bypassesProxy('db.corp.example', 5432, '.corp.example')).toBe(true);
    expect(bypassesProxy('notcorp.example', 5432, 'corp.example')).toBe(false);
    expect(bypassesProxy('127.0.0.1', 5432, 'localhost, 127.0.0.1')).toBe(true);
    expect(bypassesProxy('db.corp.example', 5432, 'db.corp.example:443')).toBe(false);
    expect(bypassesProxy('db.corp.example', 5432, 'db.corp.example:5432')).toBe(true);
    expect(bypassesProxy('::1', 5432, '::1')).toBe(true);
    expect(bypassesProxy('anything', 1, '*')).toBe(true);
    expect(bypassesProxy('anything', 1, '')).toBe(false);
  });
});

it('each leg’s delay stays within its jitter and never goes below zero', () => {
  expect(legDelayMs(100, 20, () => 0)).toBe(80);
  expect(legDelayMs(100, 20, () => 1)).toBe(120);
  expect(legDelayMs(5, 20, () => 0)).toBe(0);
});
