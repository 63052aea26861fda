/**
 * A stand-in for the `electron` module (aliased in vitest.config.ts for the unit project), so the
 * Electron shell's main can start here, where no Electron binary can be downloaded. It records what
 * the shell registers (schemes, protocol handlers, permission handlers, IPC handlers, windows and
 * their web preferences, guards on every web contents) and lets a test play the part of Chromium:
 * emit a navigation, ask for a new window or a webview, send IPC from a frame, request a URL.
 *
 * It models only what the shell uses, the way Electron documents it; it proves the shell's wiring,
 * not Electron itself (README, "What of the Electron shell is tested here").
 */
import { EventEmitter } from 'node:events';
import os from 'node:os';

type Handler = (request: Request) => Response | Promise<Response>;
type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: unknown) => boolean;

/** What a test looks at afterwards. */
export const recorded = {
  privilegedSchemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
  windows: [] as BrowserWindow[],
  ipcHandlers: new Map<string, (event: unknown, input: unknown) => unknown>(),
  openedExternally: [] as string[],
  exitCodes: [] as number[],
  errorBoxes: [] as string[],
};

class StandInProtocol {
  readonly handlers = new Map<string, Handler>();
  handle(scheme: string, handler: Handler): void {
    this.handlers.set(scheme, handler);
  }
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    if (app.ready) throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
    recorded.privilegedSchemes.push(...schemes);
  }
  /** Chromium's part: a request of `url` in this session, through the registered handler. */
  async request(url: string, init?: RequestInit): Promise<Response | null> {
    const handler = this.handlers.get(new URL(url).protocol.replace(/:$/, ''));
    return handler === undefined ? null : handler(new Request(url, init));
  }
}

export class StandInSession {
  readonly protocol = new StandInProtocol();
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  beforeRequest: ((details: { url: string }, callback: (r: { cancel: boolean }) => void) => void) | null = null;
  readonly webRequest = {
    onBeforeRequest: (listener: StandInSession['beforeRequest']) => {
      this.beforeRequest = listener;
    },
  };
  constructor(readonly partition: string) {}
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
  async resolveProxy(): Promise<string> {
    return 'DIRECT';
  }
}

const sessions = new Map<string, StandInSession>();
export const session = {
  defaultSession: new StandInSession(''),
  fromPartition(partition: string): StandInSession {
    let s = sessions.get(partition);
    if (s === undefined) {
      s = new StandInSession(partition);
      sessions.set(partition, s);
      app.emit('session-created', s);
    }
    return s;
  },
};
export const protocol = session.defaultSession.protocol;

/** A preventable event, as Electron passes to `will-navigate` and friends. */
export class StandInEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class StandInWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  readonly sent: unknown[][] = [];
  /** Each URL loaded, with the answer the session's protocol gave. */
  readonly loads: { url: string; response: Response | null }[] = [];
  constructor(readonly session: StandInSession) {
    super();
  }
  setWindowOpenHandler(handler: StandInWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  async printToPDF(): Promise<Buffer> {
    return Buffer.from('%PDF-stand-in');
  }
  /** Chromium's part: the page asks to go to `url`; true when the shell let it. */
  navigate(url: string): boolean {
    const event = new StandInEvent(url);
    this.emit('will-navigate', event, url);
    return !event.defaultPrevented;
  }
  frameNavigate(url: string): boolean {
    const event = new StandInEvent(url);
    this.emit('will-frame-navigate', event);
    return !event.defaultPrevented;
  }
  /** The page calls window.open(url): the handler's answer. */
  openWindow(url: string): 'allow' | 'deny' {
    return this.windowOpenHandler === null ? 'allow' : this.windowOpenHandler({ url }).action;
  }
  /** The page has a <webview>: true when the shell let it attach. */
  attachWebview(src: string): boolean {
    const event = new StandInEvent(src);
    this.emit('will-attach-webview', event, {}, { src });
    return !event.defaultPrevented;
  }
}

export class BrowserWindow extends EventEmitter {
  readonly webContents: StandInWebContents;
  destroyed = false;
  constructor(readonly options: { webPreferences?: Record<string, unknown> & { session?: StandInSession; partition?: string } } = {}) {
    super();
    const prefs = options.webPreferences ?? {};
    const s = prefs.session ?? (prefs.partition !== undefined ? session.fromPartition(prefs.partition) : session.defaultSession);
    this.webContents = new StandInWebContents(s);
    recorded.windows.push(this);
    // As in Electron: every new web contents is announced before anything loads in it.
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    const s = this.webContents.session;
    let cancelled = false;
    s.beforeRequest?.({ url }, (r) => (cancelled = r.cancel));
    const response = cancelled ? null : await s.protocol.request(url);
    this.webContents.loads.push({ url, response });
    this.webContents.emit('did-finish-load');
  }
  async loadFile(file: string): Promise<void> {
    this.webContents.loads.push({ url: `file://${file}`, response: null });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  show(): void {}
  focus(): void {}
}

class StandInApp extends EventEmitter {
  ready = false;
  private readonly paths = new Map<string, string>([['userData', os.tmpdir()]]);
  private readyWaiters: (() => void)[] = [];
  setName(): void {}
  getPath(name: string): string {
    return this.paths.get(name) ?? os.tmpdir();
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }
  /** The test's part: Electron has started. */
  becomeReady(): void {
    this.ready = true;
    for (const w of this.readyWaiters.splice(0)) w();
    this.emit('ready');
  }
  quit(): void {
    const event = new StandInEvent();
    this.emit('will-quit', event);
    if (!event.defaultPrevented) recorded.exitCodes.push(0);
  }
  exit(code = 0): void {
    recorded.exitCodes.push(code);
    this.emit('exited', code);
  }
}
export const app = new StandInApp();

export const ipcMain = {
  handle(channel: string, handler: (event: unknown, input: unknown) => unknown): void {
    recorded.ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    recorded.ipcHandlers.delete(channel);
  },
};

export const shell = {
  async openExternal(url: string): Promise<void> {
    recorded.openedExternally.push(url);
  },
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    recorded.errorBoxes.push(`${title}: ${content}`);
  },
  showMessageBoxSync(): number {
    return 1;
  },
};

/** Linux's safeStorage; a test picks the backend before main starts. */
export const safeStorageState = { backend: 'gnome_libsecret' as string, available: true };
const WRAP = 'stand-in-keychain:';
export const safeStorage = {
  getSelectedStorageBackend: (): string => safeStorageState.backend,
  isAsyncEncryptionAvailable: async (): Promise<boolean> => safeStorageState.available,
  encryptStringAsync: async (plain: string): Promise<Buffer> => Buffer.from(WRAP + Buffer.from(plain).toString('base64')),
  decryptStringAsync: async (c: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> => {
    const text = c.toString();
    if (!text.startsWith(WRAP)) throw new Error('not this keychain');
    return { result: Buffer.from(text.slice(WRAP.length), 'base64').toString(), shouldReEncrypt: false };
  },
};

export const Notification = Object.assign(
  class {
    show(): void {}
  },
  { isSupported: () => false },
);

export default { app, BrowserWindow, dialog, ipcMain, Notification, protocol, safeStorage, session, shell };
