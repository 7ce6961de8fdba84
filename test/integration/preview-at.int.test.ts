/**
 * Interface under test: previews at a time on the local stack. Signed webhooks (and the feedback
 * writes the sender makes after Meta's errors) set what is known now; `POST /admin/sends/preview`
 * with and without `at`, and `POST /admin/campaigns/{id}/preview` for a one-off campaign, answer what
 * the policy engine would decide then. Time is the stack's injected clock.
 */
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { classifyGraphError } from '../../lambdas/domain/send/classify-error';
import { failureFeedback } from '../../lambdas/domain/send/send-feedback';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import type { Campaign } from '../../lambdas/schemas/campaign';
import { type CampaignStack, startCampaignStack } from '../helpers/campaign-stack';
import { loadEvent } from '../helpers/events';
import { DE_WA, PHONE, WABA } from '../helpers/sample-ids';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number): string => new Date(ms).toISOString();

const freeText = (userId: string): SendIntent => ({ channel: 'whatsapp', accountId: PHONE, userId, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Ja, in M haben wir sie noch.' } });
const marketingTemplate = (userId: string): SendIntent => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId,
  kind: 'marketing',
  author: 'bot',
  content: { type: 'template', name: 'weekly_deals', language: 'de' },
});

describe('preview at a time, on the local stack', () => {
  let stack: CampaignStack;
  const preview = (intent: SendIntent, at?: string) => stack.call('POST', '/admin/sends/preview', { ...intent, ...(at === undefined ? {} : { at }) });
  /** What the sender writes when Meta answers a send to this person with `code`, at the stack's now. */
  const metaRefused = async (code: number, intent: SendIntent) => {
    const outcome = classifyGraphError({ channel: 'whatsapp', code, httpStatus: 400, requestSent: true });
    const writes = failureFeedback(intent, outcome, { code }, undefined, { channel: 'whatsapp', accountId: WABA }, `ob_preview_at_${code}`, stack.now.value);
    expect(writes).not.toEqual([]);
    await new DynamoDbStateStore(documentClient({ endpoint: process.env.DDB_ENDPOINT }), { tableName: stack.tableName }).apply(writes);
  };

  beforeEach(async () => {
    stack = await startCampaignStack();
  });
  afterEach(async () => stack.close());

  describe('POST /admin/sends/preview', () => {
    beforeEach(async () => {
      // Meta's sample inbound message: Lena wrote at 06:40 UTC on 17 May, which opens her 24 h window.
      stack.now.value = Date.parse('2026-05-17T07:40:00Z');
      await stack.postWebhook(loadEvent('meta/whatsapp/message-text.json'));
    });

    it('allows free text now, inside the window the inbound webhook opened, and refuses it at a time the window has closed by', async () => {
      const now = stack.now.value;
      expect(await preview(freeText(DE_WA))).toMatchObject({ status: 200, body: { decision: { outcome: 'allow', route: 'whatsapp.free_form' }, decidedAt: iso(now) } });
      expect(await preview(freeText(DE_WA), iso(now + 2 * HOUR))).toMatchObject({ status: 200, body: { decision: { outcome: 'allow', route: 'whatsapp.free_form' }, decidedAt: iso(now + 2 * HOUR) } });
      const later = await preview(freeText(DE_WA), iso(now + 25 * HOUR));
      expect(later).toMatchObject({ status: 200, body: { decision: { outcome: 'refuse', reason: 'window_closed' }, decidedAt: iso(now + 25 * HOUR) } });
      // A preview changes nothing: now is still allowed.
      expect((await preview(freeText(DE_WA))).body).toMatchObject({ decision: { outcome: 'allow' } });
    });

    it('refuses marketing templates outside the window during the 24 h back-off after Meta’s 131049, and allows them at a time the back-off has expired by', async () => {
      // Someone who has not written: inside a window they opened, marketing templates don't count towards Meta's limit.
      const quiet = '4915100009999';
      await stack.approveTemplate('weekly_deals', 'de', 'MARKETING');
      const now = stack.now.value;
      expect((await preview(marketingTemplate(quiet))).body).toMatchObject({ decision: { outcome: 'allow', route: 'whatsapp.template' } });
      await metaRefused(131049, marketingTemplate(quiet));
      expect((await preview(marketingTemplate(quiet))).body).toMatchObject({ decision: { outcome: 'refuse', reason: 'marketing_limit_backoff', earliestAt: iso(now + DAY) }, decidedAt: iso(now) });
      expect((await preview(marketingTemplate(quiet), iso(now + 23 * HOUR))).body).toMatchObject({ decision: { outcome: 'refuse', reason: 'marketing_limit_backoff' } });
      expect((await preview(marketingTemplate(quiet), iso(now + DAY + HOUR))).body).toMatchObject({
        decision: { outcome: 'allow', route: 'whatsapp.template', pricing: 'marketing' },
        decidedAt: iso(now + DAY + HOUR),
      });
    });

    it('refuses every send while an account-wide error pauses the number, and allows it at a time the pause is over by', async () => {
      const now = stack.now.value;
      await metaRefused(131031, freeText(DE_WA));
      expect((await preview(freeText(DE_WA))).body).toMatchObject({ decision: { outcome: 'refuse' } });
      expect((await preview(freeText(DE_WA), iso(now + 16 * MINUTE))).body).toMatchObject({ decision: { outcome: 'allow', route: 'whatsapp.free_form' } });
    });

    it.each([
      ['a past time', () => iso(stack.now.value - MINUTE), /in the past/],
      ['more than 30 days ahead', () => iso(stack.now.value + 30 * DAY + MINUTE), /more than 30 days ahead/],
      ['a time without a zone', () => '2026-05-18T09:00:00', /ISO-8601/],
    ])('answers 400 with the field at fault for %s', async (_case, at, message) => {
      const answer = await preview(freeText(DE_WA), at());
      expect(answer).toMatchObject({ status: 400, body: { error: 'invalid send intent', detail: [{ path: 'at', message: expect.stringMatching(message) as unknown }] } });
    });
  });

  describe('POST /admin/campaigns/{id}/preview', () => {
    const [early, late] = ['4915100000031', '4915100000032'];
    const once = (id: string, at: string, over: Partial<Campaign> = {}): Campaign => ({
      id,
      name: id,
      accounts: [{ channel: 'whatsapp', accountId: PHONE }],
      audience: { tags: ['newsletter'] },
      content: { type: 'text', text: 'Nur heute: 20 % auf Jacken.' },
      kind: 'marketing',
      schedule: { kind: 'once', at },
      status: 'draft',
      ...over,
    });
    const campaignPreview = async (campaign: Campaign) => {
      const put = await stack.call('PUT', `/admin/campaigns/${campaign.id}`, campaign);
      expect(put.status).toBe(201);
      return (await stack.call('POST', `/admin/campaigns/${campaign.id}/preview`)).body;
    };

    beforeEach(async () => {
      // 18 May, 08:00 UTC: one contact wrote two hours ago, the other just now.
      const now = stack.now.value;
      await stack.seedWhatsApp([early], now - 2 * HOUR);
      await stack.seedWhatsApp([late], now);
      for (const waId of [early, late]) await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${waId}/profile`, { tags: ['newsletter'] });
    });

    it('skips free text to a contact whose window has closed by the firing, as window_closed', async () => {
      // 07:30 UTC tomorrow: the first window closed at 06:00, the second closes at 08:00.
      const tomorrow = await campaignPreview(once('flash-tomorrow', '2026-05-19T07:30:00Z'));
      expect(tomorrow).toMatchObject({ firstSendAt: '2026-05-19T07:30:00.000Z', audience: 2, eligible: 1, eligibleByRoute: { 'whatsapp.free_form': 1 }, skipped: { window_closed: 1 } });
      // The same campaign an hour from now reaches both.
      const soon = await campaignPreview(once('flash-soon', '2026-05-18T09:00:00Z'));
      expect(soon).toMatchObject({ audience: 2, eligible: 2, skipped: {} });
    });

    it('counts a contact whose marketing back-off is over by the firing, and skips one still held back then', async () => {
      await stack.approveTemplate('weekly_deals', 'de', 'MARKETING');
      await metaRefused(131049, marketingTemplate(early));
      const template = { content: { type: 'template' as const, name: 'weekly_deals', language: 'de' } };
      expect(await campaignPreview(once('deals-held', '2026-05-19T07:00:00Z', template))).toMatchObject({ eligible: 1, skipped: { marketing_limit_backoff: 1 } });
      expect(await campaignPreview(once('deals-free', '2026-05-19T09:00:00Z', template))).toMatchObject({ eligible: 2, skipped: {} });
    });

    it('reads the accounts’ pause at the firing: over by then, nobody is skipped for it', async () => {
      await metaRefused(131031, freeText(late));
      expect(await campaignPreview(once('during-pause', '2026-05-18T08:10:00Z'))).toMatchObject({ eligible: 0 });
      expect(await campaignPreview(once('after-pause', '2026-05-18T08:20:00Z'))).toMatchObject({ eligible: 2, skipped: {} });
    });
  });
});
