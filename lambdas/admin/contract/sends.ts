import * as z from 'zod';
import { ChannelSchema } from '../../schemas/account';
import { SendPreviewSchema, SendRequestSchema } from '../../schemas/send-intent';
import { OutboxPath } from './params';
import type { RouteTable } from './route-contract';
import { MaybeTime, Time } from './times';

/** The policy engine's decision (README "Policy engine" lists the routes, rules and reasons). */
export const Decision = z
  .discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('allow'), route: z.string(), pricing: z.string(), rule: z.string() }),
    z.object({
      outcome: z.literal('refuse'),
      reason: z.string(),
      detail: z.string().meta({ description: 'One sentence a human can act on' }),
      earliestAt: Time.optional().meta({ description: 'When waiting helps: the earliest time the same intent would be allowed' }),
      rule: z.string(),
    }),
  ])
  .meta({ id: 'Decision' });

/** An outbox record: one send and what became of it. */
export const OutboxView = z
  .object({
    outboxId: z.string(),
    idempotencyKey: z.string(),
    status: z.string().meta({ description: 'The sender’s status, or the later one Meta reported (delivered, read, failed)' }),
    senderStatus: z.string(),
    intent: z.object({ channel: ChannelSchema, accountId: z.string(), userId: z.string(), kind: z.string(), author: z.string(), content: z.string() }),
    route: z.string().nullable(),
    pricing: z.string().nullable(),
    messageId: z.string().nullable(),
    attempts: z.number(),
    errorCode: z.number().nullable(),
    reason: z.string().nullable(),
    detail: z.string().nullable(),
    earliestAt: MaybeTime,
    notBefore: MaybeTime,
    sweeps: z.number().meta({ description: 'Times the sweeper put the job back on the queue' }),
    createdAt: MaybeTime,
    sentAt: MaybeTime,
    delivery: z
      .object({
        status: z.string(),
        at: MaybeTime,
        pricing: z.object({ category: z.string().nullable(), type: z.string().nullable(), model: z.string().nullable() }).nullable().meta({ description: 'How Meta priced the message' }),
        failure: z
          .object({ errorCode: z.number().nullable(), errorTitle: z.string().nullable(), at: MaybeTime })
          .nullable()
          .meta({ description: 'The latest failed status, kept when a later delivery beats it; a title over 64 bytes is cut and ends with “…”' }),
      })
      .nullable()
      .meta({ description: 'What Meta’s status webhooks reported about the message' }),
    updatedAt: MaybeTime,
  })
  .meta({ id: 'Send' });

const Accepted = z.object({ outboxId: z.string(), created: z.boolean(), status: z.string(), preview: Decision });

export const sendContract = {
  'POST /admin/sends/preview': {
    operationId: 'previewSend',
    summary: 'What the policy engine decides for a send intent, now or at `at` (up to 30 days ahead)',
    body: { name: 'send intent', schema: SendPreviewSchema },
    responses: { 200: z.object({ decision: Decision, decidedAt: Time }) },
  },
  'POST /admin/sends': {
    operationId: 'enqueueSend',
    summary: 'Queues a send; the same idempotency key never sends twice',
    description: '202 when the key is new, 200 with the existing send when it is not. The sender decides again at send time.',
    body: { name: 'send request', schema: SendRequestSchema },
    responses: { 202: Accepted, 200: Accepted },
  },
  'GET /admin/sends/{outboxId}': {
    operationId: 'getSend',
    summary: 'A send and what Meta reported about its message',
    path: OutboxPath,
    responses: { 200: OutboxView },
    errors: { 404: 'send not found' },
  },
} as const satisfies RouteTable;
