/**
 * The Settings screen's service: reads what is saved and what is in effect, checks a change in
 * full before saving any of it, saves it in one transaction, and applies it without a restart
 * (the listener moves, the route to Postscript is rebuilt, the outbox tries again).
 */
import net from 'node:net';
import { AppError } from '../../src-shared/errors';
import type { ConnectionCheck, SaveSettingsInput, SettingsView } from '../../src-shared/ipc/contract';
import type { SettingsRepository, StoredSecret } from '../db/settings';
import type { EventBus } from '../ipc/events';
import { Network, probeRoute } from '../network/network';
import { bypassesProxy, chooseProxy, describeRoute, envNoProxy, proxyFromEnv, type ProxyChoice } from '../network/proxyChoice';
import { readCaFile } from '../network/tlsTrust';
import type { SecretBox } from '../secrets/secretBox';
import type { WebhookListener } from '../webhooks/listener';
import {
  checkBaseUrl,
  checkCaFile,
  checkHost,
  checkProxyUrl,
  effectiveBaseUrl,
  effectiveListenerHost,
  effectiveListenerPort,
  overrideNote,
  type LaunchOverrides,
  type SavedSettings,
} from './settingsValues';

const PROXY_PASSWORD = 'proxyPassword';

/** Takes host:port for a moment and lets it go: throws what listen() would. */
function trialBind(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

export interface SettingsDeps {
  repo: SettingsRepository;
  secrets: SecretBox;
  bus: EventBus;
  listener: () => WebhookListener;
  retention: { days(): number; setDays(days: number): void };
  /** Called after the listener moved (base URLs): registrations made for the old address follow it. */
  onListenerMoved?: (from: string, to: string) => Promise<void>;
  /** Called after the route changed: the outbox forgets its clients and tries again. */
  onRouteChanged: () => void;
  /** Electron: the OS proxy for a URL (PAC answer already turned into a proxy URL), or null. */
  resolveSystemProxy?: (url: string) => Promise<string | null>;
  env?: NodeJS.ProcessEnv;
}

/** Keys of SavedSettings that are plain text fields of the input. */
const TEXT_KEYS = ['liveBaseUrl', 'proxyUrl', 'proxyUsername', 'noProxy', 'caFile', 'listenerHost'] as const;

export class SettingsService {
  readonly network: Network;
  private systemProxy: string | null = null;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly deps: SettingsDeps,
    private readonly launch: LaunchOverrides = {},
  ) {
    this.env = deps.env ?? process.env;
    let caFile = this.saved().caFile ?? null;
    try {
      if (caFile !== null) readCaFile(caFile);
    } catch {
      // The file went away since it was saved: start with the default roots; the screen says why.
      caFile = null;
    }
    this.network = new Network(this.proxyChoice(), caFile);
  }

  saved(): SavedSettings {
    return this.deps.repo.all() as SavedSettings;
  }

  liveBaseUrl(): string {
    return effectiveBaseUrl(this.saved(), this.launch, this.env).value;
  }

  listenerTarget(): { host: string; port: number } {
    const s = this.saved();
    return { host: effectiveListenerHost(s, this.env).value, port: effectiveListenerPort(s, this.launch, this.env).value };
  }

  private proxyPassword(): string | null {
    const secret = this.deps.repo.getSecret(PROXY_PASSWORD);
    return secret === undefined ? null : this.deps.secrets.decrypt(secret.scheme, secret.ciphertext);
  }

  private proxyChoice(saved: SavedSettings = this.saved()): ProxyChoice {
    const app = saved.proxyUrl === undefined ? null : { url: saved.proxyUrl, username: saved.proxyUsername ?? null, password: this.proxyPassword(), noProxy: saved.noProxy ?? '' };
    return chooseProxy({ app, systemUrl: this.systemProxy, targetUrl: this.liveBaseUrl(), env: this.env });
  }

  /**
   * The proxy for the team database at `teamUrl` (postgres://…): the one calls to live Postscript
   * take (Settings, then HTTPS_PROXY, then the system's), as a CONNECT tunnel, unless its
   * "No proxy for" list names the database's host. Null: connect directly.
   */
  teamProxy(teamUrl: string): { url: string; label: string; source: string } | null {
    const p = this.network.route().proxy;
    if (p.url === null || p.label === null) return null;
    const u = new URL(teamUrl);
    if (bypassesProxy(u.hostname, u.port === '' ? 5432 : Number(u.port), p.noProxy)) return null;
    const source = p.source === 'app' ? 'set in Settings → Network' : p.source === 'env' ? `from ${p.envVar ?? 'the environment'}` : 'your system’s proxy';
    return { url: p.url, label: p.label, source };
  }

  /** Asks the OS for its proxy (Electron), then applies what is saved. */
  async start(): Promise<void> {
    if (this.deps.resolveSystemProxy === undefined) return;
    await this.refreshSystemProxy();
    this.applyRoute();
  }

  private async refreshSystemProxy(): Promise<void> {
    if (this.deps.resolveSystemProxy === undefined) return;
    try {
      this.systemProxy = await this.deps.resolveSystemProxy(this.liveBaseUrl());
    } catch {
      this.systemProxy = null;
    }
  }

  private applyRoute(): void {
    const s = this.saved();
    this.network.reconfigure(this.proxyChoice(s), s.caFile ?? null);
    this.deps.onRouteChanged();
  }

  view(): SettingsView {
    const s = this.saved();
    const base = effectiveBaseUrl(s, this.launch, this.env);
    const host = effectiveListenerHost(s, this.env);
    const port = effectiveListenerPort(s, this.launch, this.env);
    const listener = this.deps.listener().status();
    const route = this.network.route();
    const envProxy = proxyFromEnv(base.value, this.env);
    let subjects: string[] = [];
    let caNote: string | null = null;
    if (s.caFile !== undefined) {
      try {
        subjects = readCaFile(s.caFile).subjects;
      } catch (err) {
        caNote = `${err instanceof Error ? err.message : String(err)} HTTPS uses the standard authorities until this is fixed.`;
      }
    }
    const extra = this.env.NODE_EXTRA_CA_CERTS;
    if (caNote === null && extra !== undefined && extra !== '') caNote = `NODE_EXTRA_CA_CERTS (${extra}) is trusted as well.`;
    const secret = this.deps.repo.getSecret(PROXY_PASSWORD);
    const proxy = route.proxy;
    const proxyNote =
      proxy.source === 'app' && envProxy !== null
        ? `This setting wins over ${envProxy.envVar} (${envProxy.label ?? ''}).`
        : proxy.source === 'env'
          ? `In use: ${proxy.envVar} (${proxy.label ?? ''}). A proxy set here wins over it.`
          : proxy.source === 'system'
            ? `In use: your system’s proxy (${proxy.label ?? ''}). A proxy set here wins over it.`
            : null;
    return {
      liveBaseUrl: { saved: s.liveBaseUrl ?? null, effective: base.value, source: base.source, note: overrideNote(base) },
      proxyUrl: { saved: s.proxyUrl ?? null, effective: proxy.label, source: proxy.source === 'none' ? 'default' : proxy.source, note: proxyNote },
      proxyUsername: s.proxyUsername ?? null,
      proxyPasswordMask: secret === undefined ? null : secret.mask,
      noProxy: s.noProxy ?? null,
      noProxyNote: noProxyNote(proxy, envNoProxy(this.env), s.noProxy ?? ''),
      caFile: { saved: s.caFile ?? null, effective: route.caFile, source: route.caFile === null ? 'default' : 'app', note: caNote, subjects },
      listenerHost: { saved: s.listenerHost ?? null, effective: listener.host, source: host.source, note: overrideNote(host) },
      listenerPort: {
        saved: s.listenerPort === undefined ? null : String(s.listenerPort),
        effective: listener.port === null ? null : String(listener.port),
        source: port.source,
        note: overrideNote(port) ?? listener.note,
      },
      retentionDays: this.deps.retention.days(),
    };
  }

  /** Checks everything, moves the listener if asked, then saves all at once and applies it. */
  async save(input: SaveSettingsInput): Promise<SettingsView> {
    const before = this.saved();
    const next: SavedSettings = { ...before };
    const changes: Record<string, unknown> = {};
    for (const key of TEXT_KEYS) {
      const raw = input[key];
      if (raw === undefined) continue;
      if (raw === null || raw.trim() === '') {
        delete next[key];
        changes[key] = null;
        continue;
      }
      const value =
        key === 'liveBaseUrl' ? checkBaseUrl(raw) : key === 'proxyUrl' ? checkProxyUrl(raw) : key === 'caFile' ? checkCaFile(raw) : key === 'listenerHost' ? checkHost(raw) : raw.trim();
      next[key] = value;
      changes[key] = value;
    }
    if (input.listenerPort !== undefined) {
      if (input.listenerPort === null) delete next.listenerPort;
      else next.listenerPort = input.listenerPort;
      changes.listenerPort = input.listenerPort;
    }
    const secrets: Record<string, StoredSecret | null> = {};
    if (input.proxyPassword !== undefined) {
      const pw = input.proxyPassword;
      secrets[PROXY_PASSWORD] = pw === null || pw === '' ? null : { scheme: this.deps.secrets.scheme, ciphertext: this.deps.secrets.encrypt(pw), mask: '••••' };
    }
    if (next.proxyUrl === undefined && (next.proxyUsername !== undefined || input.proxyPassword)) {
      throw new AppError('invalid_input', 'A proxy user name or password needs a proxy address: enter the proxy first.', 'proxyUrl');
    }

    // The listener is the one change that can fail outside our control (port taken): do it first.
    const listener = this.deps.listener();
    const oldTarget = this.listenerTarget();
    const oldUrl = listener.status().url;
    const target = { host: effectiveListenerHost(next, this.env).value, port: effectiveListenerPort(next, this.launch, this.env).value };
    const moveListener = target.host !== oldTarget.host || target.port !== oldTarget.port;
    // An address saved while an environment variable wins is used at a later launch: make sure
    // it can be taken now, so it is not a surprise then.
    const savedTarget = { host: next.listenerHost ?? oldTarget.host, port: next.listenerPort ?? oldTarget.port };
    const tryOnly = !moveListener && (changes.listenerHost !== undefined || changes.listenerPort !== undefined);
    if (moveListener || tryOnly) {
      const at = moveListener ? target : savedTarget;
      try {
        if (moveListener) await listener.rebind(at.host, at.port);
        else await trialBind(at.host, at.port);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why =
          code === 'EADDRINUSE'
            ? `port ${at.port} is already in use by another program. Choose another port (or 0 for any free one).`
            : code === 'EADDRNOTAVAIL'
              ? `this computer has no address ${at.host}. Use 127.0.0.1 (only this computer) or one of its own addresses.`
              : code === 'EACCES'
                ? `this app may not use port ${at.port} (ports below 1024 need administrator rights). Choose a port above 1024.`
                : err instanceof Error ? err.message : String(err);
        throw new AppError('invalid_input', `The webhook listener cannot move to ${at.host}:${at.port}: ${why} Nothing was saved.`, code === 'EADDRNOTAVAIL' ? 'listenerHost' : 'listenerPort');
      }
    }
    try {
      this.deps.repo.saveAll(changes, secrets, () => {
        if (input.retentionDays !== undefined) this.deps.retention.setDays(input.retentionDays);
      });
    } catch (err) {
      if (moveListener) await listener.rebind(oldTarget.host, oldTarget.port).catch(() => undefined);
      throw err;
    }
    const newUrl = listener.status().url;
    if (moveListener && oldUrl !== null && newUrl !== null && newUrl !== oldUrl) await this.deps.onListenerMoved?.(oldUrl, newUrl);
    const routeChanged = ['liveBaseUrl', 'proxyUrl', 'proxyUsername', 'noProxy', 'caFile'].some((k) => k in changes) || PROXY_PASSWORD in secrets;
    if (routeChanged) {
      if ('liveBaseUrl' in changes) await this.refreshSystemProxy();
      this.applyRoute();
    }
    this.deps.bus.emit('changed', { topics: ['settings', 'skip', 'outbox', 'logStats'] });
    return this.view();
  }

  async checkConnection(): Promise<ConnectionCheck> {
    const route = this.network.route();
    const base = this.liveBaseUrl();
    const r = await probeRoute(route, base, 10_000);
    // The route as this request took it: NO_PROXY can send it direct although a proxy is set.
    const via = describeRoute(route.proxy, base, this.env);
    return { ok: r.ok, message: r.message, via, latencyMs: r.ok ? r.latencyMs : null };
  }
}


/** Says which "no proxy" list is in force: an environment NO_PROXY is not typed here, so it is named. */
function noProxyNote(proxy: ProxyChoice, fromEnv: { envVar: string; value: string } | null, typedHere: string): string | null {
  if (fromEnv === null) return null;
  if (proxy.source === 'env') return `In use: ${fromEnv.envVar}=${fromEnv.value} from the environment, with ${proxy.envVar ?? 'its proxy'}: those hosts are reached directly.`;
  if (proxy.source === 'app') return `${fromEnv.envVar}=${fromEnv.value} is set in the environment but not used with the proxy set here${typedHere === '' ? ': list those hosts above to reach them directly' : ''}.`;
  return `${fromEnv.envVar}=${fromEnv.value} is set in the environment; no environment proxy is in use, so it changes nothing.`;
}
