/**
 * The admin routes' path and query parameters, held to the id rules (lambdas/schemas/ids.ts) before
 * any store sees them: a value no store could hold, or that names nothing afterchat ever stores, is
 * refused naming the parameter. An account or user id's shape depends on the channel, so those are
 * checked against it after each parameter's own schema.
 */
import * as z from 'zod';
import { ChannelSchema } from '../../schemas/account';
import { accountIdIssue, CampaignIdSchema, checkContactIds, MessageIdSchema, OccurrenceKeySchema, OutboxIdSchema } from '../../schemas/ids';

export const channel = ChannelSchema.meta({ description: 'messenger, instagram or whatsapp' });
export const accountId = z.string().meta({
  description: 'The sending account: a Page id (Messenger), an Instagram professional account id, a WhatsApp phone_number_id (or its WABA id where templates are meant)',
  example: '109876543210987',
});
const userId = z.string().meta({ description: 'A PSID (Messenger), an IGSID (Instagram), a wa_id or BSUID (WhatsApp)', example: '4915112345678' });

/** `{channel}/{accountId}`. */
export const AccountPath = z.object({ channel, accountId }).superRefine((value, ctx) => {
  const issue = accountIdIssue(value.channel, value.accountId);
  if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue, path: ['accountId'] });
});

/** `{channel}/{accountId}/{userId}`. */
export const ContactPath = z.object({ channel, accountId, userId }).superRefine(checkContactIds);

export const MessagePath = z.object({ messageId: MessageIdSchema.meta({ description: 'wamid.…, m_…, mid.…, aWdf… or a Marketing Message id' }) });
export const OutboxPath = z.object({ outboxId: OutboxIdSchema.meta({ description: 'ob_ and 24 base64url characters', example: 'ob_RxvmVYtmXk9t1J8RhIFNFJGw' }) });
export const CampaignPath = z.object({ campaignId: CampaignIdSchema.meta({ description: 'The campaign id, a slug', example: 'weekly-deals' }) });
export const OccurrencePath = CampaignPath.extend({
  occurrenceKey: OccurrenceKeySchema.meta({ description: 'The firing’s scheduled minute, ISO-8601 UTC with milliseconds', example: '2026-11-23T08:00:00.000Z' }),
});

const LIMIT = 'an integer from 1 to 100';

/** `?limit=` 1–100. */
export const limit = (fallback: number) =>
  z.coerce
    .number<string>({ error: LIMIT })
    .int(LIMIT)
    .min(1, LIMIT)
    .max(100, LIMIT)
    .default(fallback)
    .meta({ description: `How many to answer, 1–100 (default ${fallback})` });

/** `?cursor=`: opaque, from the previous page's answer. */
export const cursor = z.string().max(1024).optional().meta({ description: 'The previous page’s `cursor`, while more follow' });

/** A page's `cursor` in an answer: present while more may follow. */
export const nextCursor = z.string().optional().meta({ description: 'Pass as `?cursor=` for the next page; absent on the last' });
