import * as z from 'zod';

/** An import's id (a random UUID, create-import.ts), held to what the admin API's path accepts. */
const ImportIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * A message on the import queue: process the import's records from this position on (README
 * "Importing contacts"). The position is the job's cursor when the message was sent; a message whose
 * position the cursor has left is stale, and the worker drops it.
 */
export const ImportSliceSchema = z.object({
  importId: ImportIdSchema,
  chunk: z.number().int().min(0).max(9999),
  record: z.number().int().min(0),
});

export type ImportSlice = z.infer<typeof ImportSliceSchema>;
