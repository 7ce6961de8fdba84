import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DispatchTuning } from '../../lambdas/campaign/dispatcher-deps';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack';
import type { Occurrence } from '../../lambdas/ports/occurrence-store';
import type { Campaign } from '../../lambdas/schemas/campaign';
import { signBody } from '../../lambdas/webhook/signature';
import { PAGE, PHONE, WABA } from './sample-ids';
import { expectContract } from './admin-contract';

const SECRET = 'campaign-test-secret';
const MINUTE = 60_000;

export interface CampaignStack extends LocalStack {
  now: { value: number };
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  postWebhook(body: object): Promise<void>;
  /** WhatsApp contacts who wrote at `atMs`, 500 per signed webhook, as Meta batches them. */
  seedWhatsApp(waIds: readonly string[], atMs: number): Promise<void>;
  approveTemplate(name: string, language: string, category: 'MARKETING' | 'UTILITY'): Promise<void>;
  /** Creates the campaign as a draft and schedules it through the admin API. */
  schedule(campaign: Campaign): Promise<void>;
  occurrence(campaignId: string, occurrenceKey: string): Promise<Occurrence & { funnel: Record<string, unknown> }>;
  /**
   * The occurrence once no worker is on it any more (done, stopped or paused): a firing runs one
   * segment itself and the stack's dispatch poller the others, as the event source does in AWS.
   */
  settled(campaignId: string, occurrenceKey: string, timeoutMs?: number): Promise<Occurrence & { funnel: Record<string, unknown> }>;
  /** Jobs waiting on the send queue (no sender runs here). */
  queuedJobs(): Promise<number>;
}

/** The local stack with campaigns and no sender, on the integration project's dynalite, with an injected clock. */
export const startCampaignStack = async (tuning: Partial<DispatchTuning> = {}): Promise<CampaignStack> => {
  const now = { value: Date.UTC(2026, 4, 18, 8, 0) };
  const stack = await startLocalStack({
    appSecret: SECRET,
    verifyToken: 'verify',
    dynamoEndpoint: process.env.DDB_ENDPOINT,
    tableName: `c-${randomUUID()}`,
    clock: () => now.value,
    logger: new Logger({ serviceName: 'afterchat-test', logLevel: 'WARN' }),
    schedulerTickMs: false,
    dispatchTuning: tuning,
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
    if (path.startsWith('/admin/')) expectContract(method, path, answer.status, answer.body);
    return answer;
  };
  const postWebhook = async (body: object) => {
    const text = JSON.stringify(body);
    const response = await fetch(`${stack.url}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(text, SECRET) },
      body: text,
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  };
  const whatsappChange = (field: string, value: object) => ({ object: 'whatsapp_business_account', entry: [{ id: WABA, time: Math.floor(now.value / 1000), changes: [{ field, value }] }] });
  await call('PUT', `/admin/accounts/whatsapp/${PHONE}`, { displayName: 'Shop WA', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin', wabaId: WABA });
  await call('PUT', `/admin/accounts/messenger/${PAGE}`, { displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin', country: 'DE' });

  return {
    ...stack,
    now,
    call,
    postWebhook,
    seedWhatsApp: async (waIds, atMs) => {
      for (let i = 0; i < waIds.length; i += 500) {
        const messages = waIds.slice(i, i + 500).map((waId) => ({ from: waId, id: `wamid.seed-${waId}-${atMs}`, timestamp: String(Math.floor(atMs / 1000)), type: 'text', text: { body: 'hi' } }));
        await postWebhook(whatsappChange('messages', { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE }, messages }));
      }
    },
    approveTemplate: (name, language, category) =>
      postWebhook(
        whatsappChange('message_template_status_update', {
          event: 'APPROVED',
          // Meta's id is per template; the webhook deduplicates events by it.
          message_template_id: 1689556908000000 + [...name, ...language].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100_000, 7),
          message_template_name: name,
          message_template_language: language,
          reason: null,
          message_template_category: category,
        }),
      ),
    schedule: async (campaign) => {
      const put = await call('PUT', `/admin/campaigns/${campaign.id}`, { ...campaign, status: 'draft' });
      if (put.status !== 201) throw new Error(`PUT campaign answered ${put.status}: ${JSON.stringify(put.body)}`);
      const scheduled = await call('POST', `/admin/campaigns/${campaign.id}/schedule`);
      if (scheduled.status !== 200) throw new Error(`schedule answered ${scheduled.status}: ${JSON.stringify(scheduled.body)}`);
    },
    occurrence: async (campaignId, occurrenceKey) => {
      const { status, body } = await call('GET', `/admin/campaigns/${campaignId}/occurrences/${encodeURIComponent(occurrenceKey)}`);
      if (status !== 200) throw new Error(`occurrence answered ${status}: ${JSON.stringify(body)}`);
      return body as unknown as Occurrence & { funnel: Record<string, unknown> };
    },
    settled: async (campaignId, occurrenceKey, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { status, body } = await call('GET', `/admin/campaigns/${campaignId}/occurrences/${encodeURIComponent(occurrenceKey)}`);
        // Paused is not settled: right after a resume the occurrence reads paused until a continuation runs.
        if (status === 200 && body.status !== 'running' && body.status !== 'paused') return body as unknown as Occurrence & { funnel: Record<string, unknown> };
        if (Date.now() > deadline) throw new Error(`occurrence ${campaignId}/${occurrenceKey} not settled after ${timeoutMs} ms: ${JSON.stringify(body).slice(0, 300)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    queuedJobs: async () => {
      const { Attributes = {} } = await stack.queues.client.send(
        new GetQueueAttributesCommand({ QueueUrl: stack.queues.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }),
      );
      return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
    },
  };
};

export const minutesAfter = (ms: number, minutes: number): string => new Date(ms + minutes * MINUTE).toISOString();
