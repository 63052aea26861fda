/** The envelope every transport carries back for an invoke. */
import { z } from 'zod';
import { ERROR_CODES } from '../../errors';

export const ErrorData = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
});

/** What every transport carries back for an invoke. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof ErrorData> };
