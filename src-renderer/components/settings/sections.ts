/**
 * The Settings screen's sections, in order. A section is a component that loads and saves its own
 * values; adding one is one line here.
 */
import { ListenerSection } from './ListenerSection';
import { LogsSection } from './LogsSection';
import { NetworkSection } from './NetworkSection';
import { TeamSection } from './TeamSection';

export interface SettingsSection {
  id: string;
  title: string;
  Component: () => React.JSX.Element;
}

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  { id: 'network', title: 'Network', Component: NetworkSection },
  { id: 'listener', title: 'Webhook listener', Component: ListenerSection },
  { id: 'logs', title: 'Delivery log', Component: LogsSection },
  { id: 'team', title: 'Team', Component: TeamSection },
];
