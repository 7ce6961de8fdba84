import * as z from 'zod';
import type { Channel } from '../domain/events';
import { ChannelSchema } from './account';
import { checkContactIds, idSchema, MetaIdSchema, TemplateNameSchema } from './ids';
import { jsonObjectSchema } from './user-keys';

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

/** An intent's JSON at most: its outbox record (at most 400 KB in DynamoDB) holds it with room to spare. */
export const MAX_INTENT_BYTES = 64 * 1024;

const SendIntentObject = z.object({
  channel: ChannelSchema,
  /** Any channel's id shape here; the object's check holds it to the channel's. */
  accountId: MetaIdSchema,
  userId: idSchema('psid', 'igsid', 'waId', 'bsuid'),
  kind: z.enum(['reply', 'proactive_update', 'marketing', 'utility', 'opt_in_request', 'human_agent_reply']),
  author: z.enum(['bot', 'human']),
  content: z.discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string().min(1).max(4096) }),
    z.object({
      type: z.literal('template'),
      name: TemplateNameSchema,
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
    z.object({ type: z.literal('interactive'), interactive: jsonObjectSchema({ maxBytes: 32 * 1024, maxDepth: 16 }) }),
  ]),
  topic: z.string().max(200).optional(),
  campaignMessageId: z.string().regex(/^\d{1,32}$/).optional(),
});

/** The ids against the intent's channel (a PSID is no wa_id), and the intent's size as stored. */
const checkIntent = (intent: { channel: Channel; accountId: string; userId: string }, ctx: z.RefinementCtx): void => {
  checkContactIds(intent, ctx);
  const bytes = Buffer.byteLength(JSON.stringify(intent), 'utf8');
  if (bytes > MAX_INTENT_BYTES) ctx.addIssue({ code: 'custom', message: `at most ${MAX_INTENT_BYTES} bytes as JSON (got ${bytes})`, path: [] });
};

/** A send intent as `POST /admin/sends[/preview]` and the dispatcher accept it. */
export const SendIntentSchema = SendIntentObject.superRefine(checkIntent);

/** How far ahead a preview may decide: the further ahead, the more of what is known now may change. */
export const PREVIEW_HORIZON_DAYS = 30;
const DAY_MS = 24 * 3_600_000;

const PreviewAt = z.iso.datetime({ offset: true, error: 'an ISO-8601 instant with a zone, e.g. 2026-05-20T09:00:00Z' });

/**
 * `POST /admin/sends/preview`: a send intent and, optionally, `at`, the instant to decide it at
 * (from now up to 30 days ahead) from what is known now. The range depends on the clock: this is the
 * shape, `sendPreviewSchema(now)` the check a request gets.
 */
export const SendPreviewSchema = SendIntentObject.extend({ at: PreviewAt.optional() }).superRefine(checkIntent);

/** SendPreviewSchema with `at` held to the range from `now`. */
export const sendPreviewSchema = (now: number) =>
  SendIntentObject.extend({
    at: PreviewAt.superRefine((at, ctx) => {
      const atMs = Date.parse(at);
      // A malformed value already has its issue.
      if (Number.isNaN(atMs)) return;
      const latest = now + PREVIEW_HORIZON_DAYS * DAY_MS;
      if (atMs < now) ctx.addIssue({ code: 'custom', message: `is in the past: a preview decides from now (${new Date(now).toISOString()}) on` });
      else if (atMs > latest) ctx.addIssue({ code: 'custom', message: `is more than ${PREVIEW_HORIZON_DAYS} days ahead (after ${new Date(latest).toISOString()})` });
    }).optional(),
  }).superRefine(checkIntent);

export const SendRequestSchema = z.object({
  intent: SendIntentSchema,
  /** The caller's key: the same key never sends twice. */
  idempotencyKey: z.string().min(1).max(512),
});
