/**
 * Channels of the `files` area: the files the app made (reports, exports), by their name in the
 * exports folder. The browser shell hands them out as downloads (GET /__files/<name>); the desktop
 * app shows one in its folder or opens it with the system's app for it.
 */
import { z } from 'zod';
import { channel, Ok } from './channel';

/** A file's name in the exports folder, as the app gave it. */
export const ExportName = z.string().min(1).max(200);

export const filesChannels = {
  /** Desktop app: shows the file selected in the system's file manager. */
  reveal: channel(z.object({ name: ExportName }), Ok),
  /** Desktop app: opens the file with the system's app for its type. */
  open: channel(z.object({ name: ExportName }), Ok),
} as const;
