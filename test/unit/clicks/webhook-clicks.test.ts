import { InMemoryClickLog } from '../../../lambdas/adapters/memory/click-log';
import { InMemoryFunnelMilestones } from '../../../lambdas/adapters/memory/funnel-milestones';
import { InMemoryOutbox } from '../../../lambdas/adapters/memory/outbox';
import { countWebhookClicks } from '../../../lambdas/clicks/count-webhook-clicks';
import type { WebhookEvent } from '../../../lambdas/domain/events';
import { normaliseWebhookBody } from '../../../lambdas/normalise/webhook-body';
import { DE_WA, PAGE, PHONE, PSID } from '../../helpers/sample-ids';

const AT = Date.parse('2026-12-01T10:00:00Z');
const WAMID = 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjQ1';

const rig = () => {
  const outbox = new InMemoryOutbox();
  const funnel = new InMemoryFunnelMilestones(outbox);
  const clicks = new InMemoryClickLog();
  const sent = async (key: string, intent: Parameters<InMemoryOutbox['create']>[0]['intent'], messageId: string) => {
    const { record } = await outbox.create({ idempotencyKey: key, intent, now: AT, group: `${key}#2026-12-01T09:00:00.000Z` });
    outbox.records.set(record.outboxId, { ...record, status: 'sent', messageId, sentAt: AT });
    return record.outboxId;
  };
  return { outbox, funnel, clicks, sent, count: (events: WebhookEvent[]) => countWebhookClicks({ outbox, funnel, clicks }, events, AT + 60_000) };
};

const buttonTap = (context: string | undefined) =>
  normaliseWebhookBody({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE },
              contacts: [{ wa_id: DE_WA, profile: { name: 'Lena' } }],
              messages: [
                {
                  from: DE_WA,
                  id: `wamid.tap-${context ?? 'none'}`,
                  timestamp: String(Math.floor(AT / 1000) + 30),
                  type: 'button',
                  button: { text: 'Zum Angebot', payload: 'offer' },
                  ...(context === undefined ? {} : { context: { from: '15550783881', id: context } }),
                },
              ],
            },
          },
        ],
      },
    ],
  }).events;

describe('clicks Meta reports', () => {
  it("counts a template quick-reply tap as a click on the message it answers, once", async () => {
    const r = rig();
    const outboxId = await r.sent('advent', { channel: 'whatsapp', accountId: PHONE, userId: DE_WA, kind: 'marketing', author: 'bot', content: { type: 'template', name: 'advent', language: 'de' } }, WAMID);
    const tap = buttonTap(WAMID);
    expect(tap).toHaveLength(1);
    expect(tap[0]).toMatchObject({ type: 'inbound', answers: WAMID, said: { payload: 'offer' } });

    expect(await r.count(tap)).toBe(1);
    await r.count(tap);

    expect(r.funnel.has(outboxId, 'clicked')).toBe(true);
    expect(r.funnel.tally({ kind: 'campaign', campaignId: 'advent' }).counts.clicked).toBe(1);
    expect(r.clicks.clicks.map((c) => c.clicked)).toEqual([{ kind: 'reply' }, { kind: 'reply' }]);
  });

  it("counts nothing for a tap answering another app's message, or naming none", async () => {
    const r = rig();
    await r.sent('advent', { channel: 'whatsapp', accountId: PHONE, userId: DE_WA, kind: 'marketing', author: 'bot', content: { type: 'text', text: 'x' } }, WAMID);
    expect(await r.count([...buttonTap('wamid.someone-else'), ...buttonTap(undefined)])).toBe(0);
    expect(r.clicks.clicks).toEqual([]);
  });

  it('counts a Marketing Message API link click on the send with its tracking id', async () => {
    const r = rig();
    const outboxId = await r.sent(
      'mm-sale',
      { channel: 'messenger', accountId: PAGE, userId: PSID, kind: 'marketing', author: 'bot', content: { type: 'text', text: 'Sale' }, campaignMessageId: '120215000000000101' },
      '4738291056473829105',
    );
    const click: WebhookEvent = { type: 'marketing_click', eventKey: 'k', occurredAt: AT, contact: { channel: 'messenger', accountId: PAGE, userId: PSID }, messageId: '4738291056473829105' };
    expect(await r.count([click])).toBe(1);
    expect(r.funnel.has(outboxId, 'clicked')).toBe(true);
    expect(r.clicks.clicks[0]).toMatchObject({ outboxId, clicked: { kind: 'marketing_message' } });
  });
});
