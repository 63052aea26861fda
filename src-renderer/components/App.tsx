import { Suspense, useEffect } from 'react';
import { useDraft } from '../state/draft';
import { useRoute, type Tab } from '../state/route';
import { useSandbox } from '../state/sandbox';
import { useStores } from '../state/stores';
import { startSync } from '../state/sync';
import { startHealthSync } from '../state/health';
import { useOutbox } from '../state/outbox';
import { AlertBanner } from './AlertBanner';
import { DataHealthBanner } from './DataHealthBanner';
import { HealthAlerts } from './golive/HealthAlerts';
import { OutboxBanner } from './OutboxBanner';
import { StoresView } from './StoresView';
import { lazyScreen } from './lazyScreen';
import { TeamStatusLine } from './settings/TeamStatusLine';
import { useTeam } from '../state/team';

// Screens other than the first are loaded when first opened, so the first screen comes up with only
// what it needs (the delivery log brings its chart library, uPlot, with it). Sizes: docs/benchmarks.md.
// Once the first screen is up, the others are fetched while the page is idle, so that opening one
// later does not wait for its code (lazyScreen.tsx; figures in docs/benchmarks.md).
const batches = lazyScreen(() => import('./BatchesView'), (m) => m.BatchesView);
const log = lazyScreen(() => import('./DeliveryLog'), (m) => m.DeliveryLog);
const skip = lazyScreen(() => import('./SkipTester'), (m) => m.SkipTester);
const sandbox = lazyScreen(() => import('./SandboxPanel'), (m) => m.SandboxPanel);
const dataHealth = lazyScreen(() => import('./DataHealth'), (m) => m.DataHealth);
const team = lazyScreen(() => import('./settings/TeamSettings'), (m) => m.TeamSettings);
const settings = lazyScreen(() => import('./settings/SettingsView'), (m) => m.SettingsView);
const { Screen: BatchesView } = batches;
const { Screen: DeliveryLog } = log;
const { Screen: SkipTester } = skip;
const { Screen: SandboxPanel } = sandbox;
const { Screen: DataHealth } = dataHealth;
const { Screen: TeamSettings } = team;
const { Screen: SettingsView } = settings;

const SCREEN_NAMES: Record<Tab, string> = {
  stores: 'Stores',
  batches: 'Batches',
  log: 'Delivery log',
  skip: 'SKIP tester',
  sandbox: 'Sandbox',
  health: 'Data health',
  team: 'Team',
  settings: 'Settings',
};

export function App(): React.JSX.Element {
  const tab = useRoute((s) => s.route.tab);
  // Back on the stores screen, the store that was open is open again.
  const setTab = (t: Tab): void => useRoute.getState().go(t === 'stores' ? { tab: t, storeId: useStores.getState().selectedId } : { tab: t });
  const loaded = useStores((s) => s.loaded);
  const loadError = useStores((s) => s.loadError);

  useEffect(() => {
    if (!loaded) return;
    const idle = requestIdleCallback(() => {
      // A screen that fails to fetch now is fetched again when opened.
      for (const screen of [batches, log, skip, sandbox, dataHealth, team, settings]) void screen.preload().catch(() => undefined);
    });
    return () => cancelIdleCallback(idle);
  }, [loaded]);

  useEffect(() => {
    const stop = startSync();
    const stopHealth = startHealthSync();
    void useStores.getState().refresh();
    void useDraft.getState().refresh();
    void useSandbox.getState().refresh();
    void useOutbox.getState().refreshStatus();
    void useOutbox.getState().refreshBatches();
    void useTeam.getState().refresh();
    void useTeam.getState().refreshActivity();
    return () => {
      stop();
      stopHealth();
    };
  }, []);

  return (
    // data-ready tells tests (and screen readers via aria-busy) that the first load finished.
    <div className="app" data-testid="app" data-ready={loaded ? 'true' : 'false'} aria-busy={!loaded}>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          Postscript <span>Console</span>
        </div>
        {(['stores', 'batches', 'log', 'skip', 'sandbox', 'health', 'team'] as const).map((t) => (
          <NavButton key={t} current={tab} value={t} onSelect={setTab} label={SCREEN_NAMES[t]} />
        ))}
        <TeamStatusLine onOpen={() => setTab('team')} />
        <NavButton current={tab} value="settings" onSelect={setTab} label={SCREEN_NAMES.settings} />
      </nav>
      <main className="content">
        {/* Each screen's name is its page heading for screen readers; the visible titles below are h2. */}
        <h1 className="visually-hidden">{SCREEN_NAMES[tab]}</h1>
        {loadError !== null && (
          <div role="alert" className="banner error">
            Could not load stores: {loadError}
          </div>
        )}
        <AlertBanner />
        <DataHealthBanner onOpen={() => setTab('health')} />
        <HealthAlerts />
        <OutboxBanner />
        {tab === 'stores' && <StoresView />}
        <Suspense
          fallback={
            <p className="muted" data-testid="screen-loading">
              Loading…
            </p>
          }
        >
          {tab === 'batches' && <BatchesView />}
          {tab === 'log' && <DeliveryLog />}
          {tab === 'skip' && <SkipTester />}
          {tab === 'sandbox' && <SandboxPanel />}
          {tab === 'health' && <DataHealth />}
          {tab === 'team' && <TeamSettings />}
          {tab === 'settings' && <SettingsView />}
        </Suspense>
      </main>
    </div>
  );
}

function NavButton(props: { current: Tab; value: Tab; label: string; onSelect: (t: Tab) => void }): React.JSX.Element {
  const active = props.current === props.value;
  return (
    <button type="button" className={active ? 'nav active' : 'nav'} aria-current={active ? 'page' : undefined} onClick={() => props.onSelect(props.value)}>
      {props.label}
    </button>
  );
}
