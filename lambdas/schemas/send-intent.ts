import * as z from 'zod';
import { ChannelSchema } from './account';

const TemplateParameterSchema = z.object({
  type: z.enum(['text', 'currency', 'date_time', 'image', 'document', 'video', 'payload', 'coupon_code']),
  name: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  value: z.string().max(1024),
});

const TemplateComponentSchema = z.object({
  type: z.enum(['header', 'body', 'button']),
  subType: z.enum(['quick_reply', 'url', 'copy_code', 'flow', 'catalog']).optional(),
  index: z.number().int().min(0).max(9).optional(),
  parameters: z.array(TemplateParameterSchema).max(20),
});

/** A send intent as `POST /admin/sends[/preview]` and the dispatcher accept it. */
export const SendIntentSchema = z.object({
  channel: ChannelSchema,
  accountId: z.string().regex(/^\d{1,32}$/),
  userId: z.string().min(1).max(256),
  kind: z.enum(['reply', 'proactive_update', 'marketing', 'utility', 'opt_in_request', 'human_agent_reply']),
  author: z.enum(['bot', 'human']),
  content: z.discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string().min(1).max(4096) }),
    z.object({
      type: z.literal('template'),
      name: z.string().regex(/^[a-z0-9_]{1,512}$/),
      language: z.string().min(2).max(15),
      components: z.array(TemplateComponentSchema).max(10).optional(),
    }),
    z.object({
      type: z.literal('opt_in_request'),
      title: z.string().min(1).max(65),
      payload: z.string().min(1).max(1000),
      imageUrl: z.string().url().optional(),
      timezone: z.string().optional(),
    }),
    z.object({ type: z.literal('interactive'), interactive: z.record(z.string(), z.unknown()) }),
  ]),
  topic: z.string().max(200).optional(),
  campaignMessageId: z.string().regex(/^\d{1,32}$/).optional(),
});

/** How far ahead a preview may decide: the further ahead, the more of what is known now may change. */
export const PREVIEW_HORIZON_DAYS = 30;
const DAY_MS = 24 * 3_600_000;

/**
 * `POST /admin/sends/preview`: a send intent and, optionally, `at`, the instant to decide it at
 * (from now up to 30 days ahead) from what is known now. The range depends on the clock, so the
 * schema is built for the request's `now`.
 */
export const sendPreviewSchema = (now: number) =>
  SendIntentSchema.extend({
    at: z.iso
      .datetime({ offset: true, error: 'an ISO-8601 instant with a zone, e.g. 2026-05-20T09:00:00Z' })
      .superRefine((at, ctx) => {
        const atMs = Date.parse(at);
        // A malformed value already has its issue.
        if (Number.isNaN(atMs)) return;
        const latest = now + PREVIEW_HORIZON_DAYS * DAY_MS;
        if (atMs < now) ctx.addIssue({ code: 'custom', message: `is in the past: a preview decides from now (${new Date(now).toISOString()}) on` });
        else if (atMs > latest) ctx.addIssue({ code: 'custom', message: `is more than ${PREVIEW_HORIZON_DAYS} days ahead (after ${new Date(latest).toISOString()})` });
      })
      .optional(),
  });

export const SendRequestSchema = z.object({
  intent: SendIntentSchema,
  /** The caller's key: the same key never sends twice. */
  idempotencyKey: z.string().min(1).max(512),
});
