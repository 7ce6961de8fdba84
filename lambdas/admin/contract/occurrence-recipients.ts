import * as z from 'zod';
import { ChannelSchema } from '../../schemas/account';
import { RECIPIENT_STATES } from '../../domain/campaign/recipient-state';
import { cursor, limit, nextCursor, OccurrencePath } from './params';
import type { RouteTable } from './route-contract';
import { MaybeTime } from './times';

const state = z.enum(RECIPIENT_STATES);

/** The funnel milestones a recipient row may name, in funnel order. */
export const REACHED_STEPS = ['delivered', 'read', 'clicked', 'replied', 'converted', 'limited'] as const;

const Recipient = z
  .object({
    channel: ChannelSchema,
    accountId: z.string(),
    userId: z.string(),
    outboxId: z.string(),
    status: z.enum(['queued', 'claimed', 'sent', 'delivered', 'read', 'failed', 'skipped', 'unknown']).meta({
      description: 'The send’s status with Meta’s reports applied',
    }),
    states: z.array(state).meta({ description: 'The funnel states (`?state=`) the recipient is in; none once it converted, or while it waits to send' }),
    reached: z.array(z.enum(REACHED_STEPS)).meta({ description: 'The funnel milestones it reached; a later one implies the earlier (a click was read)' }),
    reason: z.string().nullable().meta({ description: 'Why it was skipped or failed: the policy engine’s reason code, or the sender’s' }),
    detail: z.string().nullable().meta({ description: 'The reason as a sentence, where the policy engine or the sender gave one' }),
    failure: z
      .object({ code: z.number().nullable(), title: z.string().nullable().meta({ description: 'Meta’s title for the code, from its status webhook' }) })
      .nullable()
      .meta({ description: 'Meta’s error, for a failed (or limited) send' }),
    sentAt: MaybeTime,
    statusAt: MaybeTime.meta({ description: 'When Meta last reported on the message (delivered, read, failed)' }),
    clickedAt: MaybeTime,
    repliedAt: MaybeTime,
    convertedAt: MaybeTime,
  })
  .meta({ id: 'OccurrenceRecipient' });

const RecipientsQuery = z.object({
  state: state.optional().meta({
    description:
      'Only the recipients in this state: the follow-up states (`limited_by_meta`, `not_delivered`, `not_read`, `read_not_clicked`, `clicked_not_converted`, `failed`), or `skipped` (held back by the policy at send time)',
  }),
  cursor,
  limit: limit(50),
});

export const occurrenceRecipientsContract = {
  'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients': {
    operationId: 'listOccurrenceRecipients',
    summary: 'One page of the occurrence’s recipients, each with its status, reason and funnel milestones',
    description:
      'Read from the occurrence’s sends, a few index pages per request: with `state`, a page may hold fewer than `limit` (even none) while a `cursor` says more follow. People the planner skipped before any send (counted in the occurrence’s `counts.skipped`) are not listed.',
    path: OccurrencePath,
    query: RecipientsQuery,
    responses: { 200: z.object({ recipients: z.array(Recipient), cursor: nextCursor }) },
    errors: { 400: 'the cursor is not one this listing gave', 404: 'campaign or occurrence not found' },
  },
} as const satisfies RouteTable;
