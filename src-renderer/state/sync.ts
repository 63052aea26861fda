/** Main announces what changed; the stores that show it refetch. */
import { api } from '../api';
import { useDeliveries } from './deliveries';
import { useOutbox } from './outbox';
import { useSandbox } from './sandbox';
import { useStores } from './stores';

export function startSync(): () => void {
  return api.on('changed', ({ topics, storeId }) => {
    const stores = useStores.getState();
    if (topics.includes('stores')) void stores.refresh();
    if ((topics.includes('triggers') || topics.includes('stores')) && (storeId === undefined || storeId === stores.selectedId)) {
      void stores.refreshDetail();
    }
    if (topics.includes('deliveries')) void useDeliveries.getState().refresh();
    if (topics.includes('sandbox')) void useSandbox.getState().refresh();
    if (topics.includes('outbox')) void useOutbox.getState().refreshStatus();
    if (topics.includes('batches')) void useOutbox.getState().refreshBatches();
  });
}
