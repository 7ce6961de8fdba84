/**
 * WhatsApp status webhooks for a message afterchat sent, as Meta posts them (v24.0+): one status per
 * body, `biz_opaque_callback_data` = the outbox id (tagged when the sender knew the recipient's ids),
 * the recipient's wa_id and BSUID, and pricing on
 * `delivered` (events/meta/whatsapp/SOURCES.md: `sent` carries none since v24.0, `read` neither).
 */
import type { MessageStatusValue } from '../../lambdas/domain/events';
import type { Decision } from '../../lambdas/domain/send/policy-types';
import type { Outbox } from '../../lambdas/ports/outbox';

export interface SentMessage {
  phoneNumberId: string;
  wabaId: string;
  waId: string;
  bsuid: string;
  wamid: string;
  outboxId: string;
  /** What the sender gave Meta as `biz_opaque_callback_data` (callback-data.ts), when not the bare outbox id. */
  callbackData?: string;
  /** Meta's `sent` time, seconds. */
  sentAt: number;
}

/** When each status follows `sent` (seconds), as a person reading within a minute. */
export const STATUS_DELAY_S: Record<MessageStatusValue, number> = { sent: 0, delivered: 2, read: 60, played: 90, failed: 1 };

export const statusBody = (
  message: SentMessage,
  status: MessageStatusValue,
  atSeconds = message.sentAt + STATUS_DELAY_S[status],
  options: { errorCode?: number; errorTitle?: string; bsuidOnly?: boolean } = {},
) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: message.wabaId,
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: message.phoneNumberId },
            statuses: [
              {
                id: message.wamid,
                status,
                timestamp: String(atSeconds),
                // A person with a username: Meta names them by BSUID only.
                ...(options.bsuidOnly ? {} : { recipient_id: message.waId, contacts: [{ wa_id: message.waId, user_id: message.bsuid }] }),
                recipient_user_id: message.bsuid,
                biz_opaque_callback_data: message.callbackData ?? message.outboxId,
                ...(status === 'delivered' ? { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' } } : {}),
                ...(status === 'failed' ? { errors: [{ code: options.errorCode ?? 131026, title: options.errorTitle ?? 'Message undeliverable' }] } : {}),
              },
            ],
          },
        },
      ],
    },
  ],
});

/**
 * An outbox record as a campaign send leaves it once Meta accepted the message: created for the
 * occurrence, claimed, marked sending, finished `sent` with the wamid. Its size is what a status
 * webhook's outbox write is billed on.
 */
export const sendThroughOutbox = async (
  outbox: Outbox,
  p: { phoneNumberId: string; waId: string; wamid: string; campaignId: string; now: number },
): Promise<string> => {
  const { record } = await outbox.create({
    idempotencyKey: `${p.campaignId}#2026-11-21T09:00:00.000Z#whatsapp:${p.phoneNumberId}:${p.waId}`,
    group: `${p.campaignId}#2026-11-21T09:00:00.000Z`,
    now: p.now,
    intent: {
      channel: 'whatsapp',
      accountId: p.phoneNumberId,
      userId: p.waId,
      kind: 'marketing',
      author: 'bot',
      content: {
        type: 'template',
        name: 'weekly_deals',
        language: 'de',
        components: [{ type: 'body', parameters: [{ type: 'text', name: 'first_name', value: 'Alex' }] }],
      },
    },
  });
  const claim = await outbox.claim(record.outboxId, p.now, 60_000);
  if (!claim.claimed) throw new Error(`could not claim ${record.outboxId}`);
  const decision: Decision = { outcome: 'allow', route: 'whatsapp.template', pricing: 'marketing', rule: 'whatsapp.template.category' };
  await outbox.markSending(record.outboxId, claim.claimToken, p.now, decision, 1);
  await outbox.finish(record.outboxId, claim.claimToken, p.now, { status: 'sent', messageId: p.wamid, route: decision.route, pricing: decision.pricing });
  return record.outboxId;
};
