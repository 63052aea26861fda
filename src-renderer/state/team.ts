/** Team mode as the renderer shows it: status, teammates, who set up and touched each store. */
import { create } from 'zustand';
import type { StoreActivity, TeamAgent, TeamStatus } from '../../src-shared/ipc/contract';
import { api } from '../api';

interface TeamState {
  status: TeamStatus | null;
  agents: TeamAgent[];
  /** By store id. */
  activity: Record<string, StoreActivity>;
  refresh(): Promise<void>;
  refreshActivity(): Promise<void>;
}

export const useTeam = create<TeamState>((set) => ({
  status: null,
  agents: [],
  activity: {},
  async refresh() {
    try {
      const [status, agents] = await Promise.all([api.team.status({}), api.team.agents({})]);
      set({ status, agents });
    } catch {
      // The status line keeps its last value; the next change event tries again.
    }
  },
  async refreshActivity() {
    try {
      const rows = await api.team.storeActivity({});
      set({ activity: Object.fromEntries(rows.map((r) => [r.storeId, r])) });
    } catch {
      // as above
    }
  },
}));
