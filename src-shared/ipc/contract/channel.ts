/** The building blocks every area's contract file uses: a channel's input/output pair and the shared small schemas. */
import { z } from 'zod';

export interface ChannelDef<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
}
export function channel<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): ChannelDef<I, O> {
  return { input, output };
}

/** An id passed in from the renderer (store, batch, event key). */
export const id = z.string().min(1).max(100);
export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });
