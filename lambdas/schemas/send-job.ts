import * as z from 'zod';

/** The body of a send-queue message. The outbox record holds everything else. */
export const SendJobSchema = z.object({ outboxId: z.string().regex(/^ob_[A-Za-z0-9_-]{24}$/) });
export type SendJob = z.infer<typeof SendJobSchema>;
