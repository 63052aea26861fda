import { create } from 'zustand';
import type { DataHealth } from '../../src-shared/ipc/contract';
import { api } from '../api';

interface HealthState {
  health: DataHealth | null;
  refresh(): Promise<void>;
}

export const useHealth = create<HealthState>((set) => ({
  health: null,
  async refresh() {
    try {
      set({ health: await api.dataHealth.status({}) });
    } catch {
      // The alert banner already says what went wrong; keep what was shown.
    }
  },
}));

/** A full disk or damage arrives as an alert; recorded answers and restores as outbox changes. */
export function startHealthSync(): () => void {
  void useHealth.getState().refresh();
  const offAlert = api.on('alert', () => void useHealth.getState().refresh());
  const offChanged = api.on('changed', ({ topics }) => {
    if (topics.includes('outbox')) void useHealth.getState().refresh();
  });
  return () => {
    offAlert();
    offChanged();
  };
}
