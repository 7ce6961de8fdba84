/**
 * A WhatsApp campaign really sent on the sending stack (startSendingStack) through the Meta
 * simulator: its marketing template approved by Meta's webhook, its audience people who wrote to the
 * sample number a day before (contacts whose windows have closed: Meta's per-person marketing limit
 * spares messages inside one), and Meta's verdict on some of them set in the simulator before the send.
 */
import { adminCaller } from './admin-contract';
import { PHONE, WABA } from './sample-ids';
import type { SendingStack } from './sending-stack';
import { from, messagesBody, SAMPLE_NUMBER, text } from './whatsapp-webhook';

const HOUR = 3_600_000;

/** A change on the sample WABA, stamped at the stack's now, posted signed as Meta posts it; the webhook's status. */
export const postWhatsAppChange = (stack: SendingStack, field: string, value: object): Promise<number> =>
  stack.postWebhook({ object: 'whatsapp_business_account', entry: [{ id: WABA, time: Math.floor(stack.now() / 1000), changes: [{ field, value }] }] });

/** Meta's template status webhook: the marketing template is approved (in afterchat, and so in the simulator). */
export const approveMarketingTemplate = (stack: SendingStack, template: { name: string; language: string }): Promise<number> =>
  postWhatsAppChange(stack, 'message_template_status_update', {
    event: 'APPROVED',
    message_template_id: 1689556908129835,
    message_template_name: template.name,
    message_template_language: template.language,
    reason: 'NONE',
    message_template_category: 'MARKETING',
  });

export interface CampaignAudience {
  /** wa_ids; each writes "hi" once, a day before the send. */
  people: readonly string[];
  /** Under Meta's per-person marketing limit: their marketing templates fail 131049. */
  limited?: readonly string[];
  /** Stopped marketing messages in WhatsApp: their marketing templates fail 131050. */
  optedOut?: readonly string[];
}

/** The people write, then a day passes (their windows close), then Meta's verdicts on them are set; the webhook body they wrote in. */
export const writtenADayAgo = async (stack: SendingStack, audience: CampaignAudience): Promise<object> => {
  const atMs = stack.now();
  const body = messagesBody(SAMPLE_NUMBER, ...audience.people.map((waId) => from({ waId, id: `wamid.in-${waId}`, atMs }, text('hi'))));
  const status = await stack.postWebhook(body);
  if (status !== 200) throw new Error(`the people's messages answered ${status}`);
  stack.advance(25 * HOUR);
  for (const waId of audience.limited ?? []) stack.simulator.setMarketingLimited({ accountId: PHONE, userId: waId });
  for (const waId of audience.optedOut ?? []) stack.simulator.optOutMarketing({ accountId: PHONE, userId: waId });
  return body;
};

/** A campaign schedule: once, at the first whole minute from `ms` on. */
export const onceAt = (ms: number) => ({ kind: 'once', at: new Date(Math.ceil(ms / 60_000) * 60_000).toISOString().replace('.000Z', 'Z') }) as const;

/**
 * The campaign created as a draft, scheduled (once, an hour from now) through the admin API, and its
 * local rule fired now; once the send queue has drained and the simulator has posted its webhooks:
 * the occurrence key.
 */
export const fireCampaign = async (stack: SendingStack, campaign: { id: string } & Record<string, unknown>): Promise<string> => {
  const call = adminCaller(() => stack.url);
  const put = await call('PUT', `/admin/campaigns/${campaign.id}`, { ...campaign, schedule: onceAt(stack.now() + HOUR), status: 'draft' });
  if (put.status !== 201) throw new Error(`PUT campaign answered ${put.status}: ${JSON.stringify(put.body)}`);
  const scheduled = await call('POST', `/admin/campaigns/${campaign.id}/schedule`);
  if (scheduled.status !== 200) throw new Error(`schedule answered ${scheduled.status}: ${JSON.stringify(scheduled.body)}`);
  const fired = await call('POST', `/local/rules/${campaign.id}/fire`);
  if (fired.status !== 200) throw new Error(`firing answered ${fired.status}: ${JSON.stringify(fired.body)}`);
  await stack.waitUntilDrained();
  return String(fired.body.occurrenceKey);
};
