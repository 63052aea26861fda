/** Channels of the `tests` area: preview and queue test events for a store. */
import { z } from 'zod';
import { channel, id } from './channel';
import { OutboxItem } from './outbox';

const PropertyValue = z.union([z.string().max(2000), z.number(), z.boolean()]);

export const testsChannels = {
  /** The exact body a test of this event would send now (external_id and time fixed at send). */
  preview: channel(z.object({ storeId: id, eventKey: id }), z.object({ json: z.string(), properties: z.record(z.string(), PropertyValue) })),
  /** Queues one test event in the outbox (written before any I/O) and returns the item. */
  send: channel(z.object({ storeId: id, eventKey: id, properties: z.record(z.string(), PropertyValue).optional() }), OutboxItem),
  /** Queues a test for every enabled event of the store. */
  sendAll: channel(z.object({ storeId: id }), z.object({ queued: z.number().int() })),
} as const;
