/** What reaches the campaign dispatcher, besides business events (business-event.ts). */
import * as z from 'zod';

const CampaignIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/, 'a campaign id');

/** A schedule's rule firing: the target's InputTransformer builds it from the scheduled event. */
export const CampaignFiringSchema = z.object({
  campaignId: CampaignIdSchema,
  /** The scheduled event's `time`, the same on every retry of the firing. */
  firingAt: z.iso.datetime({ offset: true }),
});

/** A message on the dispatch queue: carry on with an occurrence. */
export const DispatchContinuationSchema = z.object({
  campaignId: CampaignIdSchema,
  occurrenceKey: z.iso.datetime(),
  /** One segment of a fanned-out occurrence; absent: the occurrence itself (one worker, or every stalled segment). */
  segment: z.number().int().min(0).max(63).optional(),
  /** The lease of the worker that ran out of time: whoever holds this message may take it over at once. */
  handoverToken: z.string().min(1).optional(),
});

export type CampaignFiringInput = z.infer<typeof CampaignFiringSchema>;
export type DispatchContinuation = z.infer<typeof DispatchContinuationSchema>;
