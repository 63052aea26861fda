/** Channels of the `app` area: facts about this installation. */
import { z } from 'zod';
import { channel, Empty } from './channel';

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  liveBaseUrl: z.string(),
});

export const appChannels = {
  info: channel(Empty, AppInfo),
} as const;
