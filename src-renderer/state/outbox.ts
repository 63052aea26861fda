import { create } from 'zustand';
import type { BatchSummary, OutboxStatus } from '../../src-shared/ipc/contract';
import { api } from '../api';

interface OutboxStoreState {
  status: OutboxStatus | null;
  batches: BatchSummary[];
  refreshStatus(): Promise<void>;
  refreshBatches(): Promise<void>;
}

export const useOutbox = create<OutboxStoreState>((set) => ({
  status: null,
  batches: [],
  async refreshStatus() {
    set({ status: await api.outbox.status({}) });
  },
  async refreshBatches() {
    set({ batches: await api.batches.list({}) });
  },
}));
