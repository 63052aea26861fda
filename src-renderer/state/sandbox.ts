import { create } from 'zustand';
import type { SandboxFaults, SandboxStatus } from '../../src-shared/ipc/contract';
import { api } from '../api';

interface SandboxState {
  status: SandboxStatus | null;
  refresh(): Promise<void>;
  setFaults(faults: Partial<SandboxFaults>): Promise<void>;
}

export const useSandbox = create<SandboxState>((set) => ({
  status: null,
  async refresh() {
    set({ status: await api.sandbox.status({}) });
  },
  async setFaults(faults) {
    set({ status: await api.sandbox.setFaults(faults) });
  },
}));
