import { create } from 'zustand';
import type { SaveSettingsInput, SettingsView } from '../../src-shared/ipc/contract';
import { api } from '../api';

interface SettingsState {
  view: SettingsView | null;
  refresh(): Promise<void>;
  /** Saves (all or nothing) and keeps what main says is now in effect; throws the AppError otherwise. */
  save(input: SaveSettingsInput): Promise<void>;
}

export const useSettings = create<SettingsState>((set) => ({
  view: null,
  async refresh() {
    set({ view: await api.settings.get({}) });
  },
  async save(input) {
    set({ view: await api.settings.save(input) });
  },
}));
