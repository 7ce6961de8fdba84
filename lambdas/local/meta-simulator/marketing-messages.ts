/**
 * `POST /{version}/act_{ad-account-id}/messages`: the Marketing Message API for Messenger. The
 * subscription token names the Page and the person; the answer is a tracking id, which is also
 * what the delivery and read webhooks carry (and what afterchat keys them by).
 */
import * as z from 'zod';
import { graphError, invalidRequest } from './errors';
import { isRecord } from './http-io';
import type { SendContext, SendOutcome } from './outcome';
import { newMid, newTrackingId } from './random';
import { marketingMessageChange, type MarketingMessageRef } from './status-webhooks';

const sendSchema = z.object({
  /** The campaign message, created with `act_<id>/message_campaign`. */
  message_id: z.string().min(1),
  messenger_delivery_data: z.object({ subscription_token: z.string().min(1) }),
  message: z.record(z.string(), z.unknown()),
  min_conversation_gap_seconds: z.number().int().nonnegative().optional(),
});

/** The subscription token of a body not yet validated, to find the Page whose token may authorise it. */
export const subscriptionTokenOf = (body: unknown): string | undefined => {
  const data = isRecord(body) ? body.messenger_delivery_data : undefined;
  return isRecord(data) && typeof data.subscription_token === 'string' ? data.subscription_token : undefined;
};

const FIELD = { delivered: 'marketing_message_deliveries', read: 'marketing_message_reads' } as const;

export const sendMarketingMessage = (ctx: SendContext, raw: unknown): SendOutcome => {
  const parsed = sendSchema.safeParse(raw);
  if (!parsed.success) return { error: invalidRequest(parsed.error) };
  const request = parsed.data;
  const subscriptionToken = request.messenger_delivery_data.subscription_token;
  const token = ctx.state.optInToken(subscriptionToken);
  if (token === undefined) return { error: graphError(2300004, 'The subscription token is invalid.') };
  // Opting out of marketing messages has no webhook: the next send is where it shows.
  if (token.status === 'stopped') return { error: graphError(2300034, 'The recipient has stopped marketing messages from this Page.') };
  const gapMs = (request.min_conversation_gap_seconds ?? 0) * 1000;
  const since = ctx.state.sinceUserMessage('messenger', token.accountId, token.userId, ctx.now);
  if (since !== undefined && since < gapMs) {
    return { error: graphError(2300052, 'The recipient had a conversation with the Page more recently than min_conversation_gap_seconds.') };
  }

  const trackingId = newTrackingId();
  const ref: MarketingMessageRef = {
    pageId: token.accountId,
    userId: token.userId,
    appId: ctx.config.appId,
    mid: newMid(),
    trackingId,
    subscriptionToken,
    campaignMessageId: request.message_id,
  };
  return {
    accepted: {
      id: trackingId,
      channel: 'messenger',
      accountId: token.accountId,
      recipient: token.userId,
      kind: 'marketing_message',
      at: ctx.now,
      body: raw,
    },
    response: { success: true, marketing_message_tracking_id: trackingId },
    webhooks: ctx.config.statuses.map((status) => marketingMessageChange(ref, FIELD[status])),
  };
};
