/** Channels of the `app` area: facts about this installation. */
import { z } from 'zod';
import { channel, Empty } from './channel';

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  liveBaseUrl: z.string(),
  /** How a file the app made reaches the agent: a browser download, or the desktop's Show in folder / Open. */
  files: z.enum(['download', 'desktop']),
});

export const appChannels = {
  info: channel(Empty, AppInfo),
} as const;
