/** The new-store wizard's saved draft, offered in the stores list as "Setup not finished: continue". */
import { create } from 'zustand';
import type { WizardDraft } from '../../src-shared/ipc/contract';
import { api } from '../api';

interface DraftState {
  draft: WizardDraft | null;
  refresh(): Promise<void>;
}

export const useDraft = create<DraftState>((set) => ({
  draft: null,
  async refresh() {
    set({ draft: await api.wizard.getDraft({}) });
  },
}));
