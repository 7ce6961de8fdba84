/**
 * Interface under test: the local stack end to end, issue 15's acceptance. A marketing campaign with
 * a tracked URL button goes to 50 WhatsApp contacts through the Meta simulator, which limits 6
 * (131049), refuses 4 (131050) and delivers the rest with Meta's pricing; people read, click through
 * `GET /r/{token}`, reply, send STOP; the shop puts `order.placed` on the local bus. The funnel read
 * through `GET /admin/campaigns/{id}/occurrences/{occurrenceKey}/report` and `GET
 * /admin/campaigns/{id}/report` holds exactly what the test caused, and holds it again after every
 * webhook, click and order comes a second time, in a shuffled order.
 */
import { mulberry32 } from '../../lambdas/local/meta-simulator/random';
import { mapLimit } from '../../lambdas/shared/map-limit';
import { type WhatsAppMessageRef, whatsappFailed, whatsappStatus } from '../../lambdas/local/meta-simulator/status-webhooks';
import { adminCaller } from '../helpers/admin-contract';
import { automationQueueDrained } from '../helpers/automation-queue';
import { PHONE } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { approveMarketingTemplate, fireCampaign, writtenADayAgo } from '../helpers/sent-campaign';
import { from, messagesBody, SAMPLE_NUMBER, text } from '../helpers/whatsapp-webhook';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BROWSER = 'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36';
const TARGET = 'https://shop.example/herbst?utm_source=whatsapp&utm_medium=chat&utm_campaign=herbst';

// The partition: German numbers price in EUR, Dutch ones in USD (lambdas/domain/campaign/price-table.ts).
const span = (from: number, to: number, number: (i: number) => string) => Array.from({ length: to - from }, (_, i) => number(from + i));
const de = (i: number) => `4915100017${String(i).padStart(2, '0')}`;
const nl = (i: number) => `3161200017${String(i).padStart(2, '0')}`;
const LIMITED = span(0, 6, de);
const REFUSED = span(6, 10, de);
const DELIVERED = [...span(0, 6, nl), ...span(10, 44, de)];
const PEOPLE = [...LIMITED, ...REFUSED, ...DELIVERED];
const READ = DELIVERED.slice(0, 30);
const CLICKED = READ.slice(0, 12);
/** Eight write back (four of them clicked), three others send STOP. */
const REPLIED = READ.slice(8, 16);
const STOPPED = READ.slice(16, 19);
/** Delivered, never read: writes 73 h after the send, too late to count. */
const LATE = DELIVERED[35] as string;
/** Limited by Meta, so nothing reached them: what they write answers no message. */
const UNREACHED = LIMITED[0] as string;
const ORDERS = [
  { userId: CLICKED[0], orderId: 'HB-1001', value: 59.9, currency: 'EUR' },
  { userId: CLICKED[1], orderId: 'HB-1002', value: 35, currency: 'USD' },
  { userId: CLICKED[6], orderId: 'HB-1003', value: 24.5, currency: 'EUR' },
  { userId: CLICKED[7], orderId: 'HB-1004', value: 120, currency: 'EUR' },
  { userId: CLICKED[11], orderId: 'HB-1005', value: 15.25, currency: 'USD' },
  // Nothing reached this buyer: the order is no conversion of the campaign.
  { userId: LIMITED[1], orderId: 'HB-1006', value: 80, currency: 'EUR' },
];

const TEMPLATE = { name: 'herbst_sale', language: 'de' };
const TITLE_131049 = 'This message was not delivered to maintain healthy ecosystem engagement.';
const TITLE_131050 = 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.';
/** What the simulator's status webhooks carry on `delivered` for an approved marketing template. */
const PRICING = { billable: true, pricing_model: 'PMP' as const, type: 'regular' as const, category: 'marketing' };

describe('issue 15 acceptance: the funnel of a campaign to 50 contacts, exact, and exact again after every webhook comes twice', () => {
  let stack: SendingStack;
  let occurrenceKey = '';
  /** Every webhook body the test posted itself (the template's approval aside), to post again. */
  const posted: object[] = [];
  const links = new Map<string, string>();

  const call = adminCaller(() => stack.url);
  const post = async (body: object) => {
    posted.push(body);
    expect(await stack.postWebhook(body)).toBe(200);
  };
  const writes = (waId: string, words: string) => post(messagesBody(SAMPLE_NUMBER, from({ waId, id: `wamid.${waId}-${words.length}-${stack.now()}`, atMs: stack.now() }, text(words))));
  const click = (waId: string) => fetch(links.get(waId) as string, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
  const placed = new Map<string, string>();
  /** The shop puts the order on the bus, stamped now the first time, as it was every time after. */
  const order = async (o: (typeof ORDERS)[number]) => {
    const occurredAt = placed.get(o.orderId) ?? new Date(stack.now()).toISOString();
    placed.set(o.orderId, occurredAt);
    const detail = { channel: 'whatsapp', accountId: PHONE, ...o, occurredAt };
    const answer = await call('POST', '/local/events', { Entries: [{ Source: 'com.sampleshop.orders', DetailType: 'order.placed', Detail: JSON.stringify(detail) }] });
    expect(answer).toMatchObject({ status: 200, body: { FailedEntryCount: 0 } });
  };
  const settled = async () => {
    await automationQueueDrained(stack.queues, 60_000);
    await stack.waitUntilDrained();
  };
  const reports = async () => ({
    occurrence: (await call('GET', `/admin/campaigns/herbst/occurrences/${encodeURIComponent(occurrenceKey)}/report`)).body,
    campaign: (await call('GET', '/admin/campaigns/herbst/report')).body,
  });
  /** The campaign's messages as Meta accepted them, with how its status webhooks name them. */
  const sent = () =>
    stack.simulator.accepted().flatMap((m) => {
      if (m.template?.name !== TEMPLATE.name) return [];
      // The sending stack names no WhatsApp number to the simulator: its webhooks carry its defaults.
      const ref: WhatsAppMessageRef = { phoneNumberId: PHONE, number: { wabaId: PHONE, displayPhoneNumber: '15550000000' }, wamid: m.id, waId: m.recipient, callbackData: m.callbackData };
      const components = (m.body as { template: { components?: { sub_type?: string; parameters: { text?: string }[] }[] } }).template.components ?? [];
      return [{ ref, at: m.at, token: components.find((c) => c.sub_type === 'url')?.parameters[0]?.text }];
    });

  let first: Awaited<ReturnType<typeof reports>>;

  beforeAll(async () => {
    stack = await startSendingStack({ statuses: ['delivered'] });
    expect(await approveMarketingTemplate(stack, TEMPLATE)).toBe(200);
    posted.push(await writtenADayAgo(stack, { people: PEOPLE, limited: LIMITED, optedOut: REFUSED }));
    occurrenceKey = await fireCampaign(stack, {
      id: 'herbst',
      name: 'Herbst',
      accounts: [{ channel: 'whatsapp', accountId: PHONE }],
      audience: {},
      content: { type: 'template', ...TEMPLATE },
      kind: 'marketing',
      tracking: { buttons: [{ index: 0, url: 'https://shop.example/herbst' }], utm: { source: 'whatsapp', medium: 'chat', campaign: 'herbst' } },
    });
    for (const { ref, token } of sent()) links.set(ref.waId, `${stack.url}/r/${token}`);

    stack.advance(5 * MINUTE);
    for (const { ref } of sent()) if (READ.includes(ref.waId)) await post(whatsappStatus(ref, 'read')(stack.now()) as object);
    // Well past the link-preview window after delivery, in a browser: people's clicks.
    stack.advance(5 * MINUTE);
    for (const waId of CLICKED) {
      const followed = await click(waId);
      expect([followed.status, followed.headers.get('location')]).toEqual([302, TARGET]);
    }
    stack.advance(HOUR);
    for (const waId of REPLIED) await writes(waId, 'Gibt es die Jacke auch in Blau?');
    for (const waId of STOPPED) await writes(waId, 'STOP');
    await writes(UNREACHED, 'Was gibt es Neues?');
    await settled();
    stack.advance(HOUR);
    for (const o of ORDERS) await order(o);
    stack.advance(72 * HOUR);
    await writes(LATE, 'Sorry, erst jetzt gesehen');
    await settled();
    first = await reports();
    // About 30 s on an idle 2-core machine; well over a minute when other suites share it.
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('every funnel number is what the test caused: audience, sent, delivered, read, clicked, replied, converted, revenue, limited, failures by code, opt-outs, billed cost, rates', () => {
    const report = {
      sent: 50,
      sentBasis: 'reported',
      delivered: 40,
      read: 30,
      clicked: 12,
      // The eight answers and the three STOPs; not the late one, nor the one after a message never delivered.
      replied: 11,
      converted: 5,
      optedOut: 3,
      limited: { total: 6, byCode: [{ code: 131049, count: 6, title: TITLE_131049 }] },
      failed: { total: 4, byCode: [{ code: 131050, count: 4, title: TITLE_131050 }] },
      rates: { deliveryRate: 0.8, readRate: 0.75, clickThroughRate: 0.3, replyRate: 0.275, conversionRate: 0.125, optOutRate: 0.075 },
      money: {
        // Before the send, all 50: 44 × €0.1131 (Germany), 6 × $0.1597 (the Netherlands).
        estimated: { EUR: 4.9764, USD: 0.9582 },
        // After: the 40 delivered, priced by the table's rows in force on the send's day; totals in cents.
        billed: {
          messages: 40,
          notBillable: 0,
          cost: {
            totalsByCurrency: { EUR: 3.85, USD: 0.96 },
            lines: [
              { channel: 'whatsapp', category: 'marketing', market: 'DE', count: 34, pricePerMessage: 0.1131, currency: 'EUR', amount: 3.8454, rowId: 'whatsapp.DE.marketing.2025-07' },
              { channel: 'whatsapp', category: 'marketing', market: 'NL', count: 6, pricePerMessage: 0.1597, currency: 'USD', amount: 0.9582, rowId: 'whatsapp.NL.marketing.2026-04' },
            ],
            unpriced: 0,
            asOf: '2026-05-18',
            disclaimer: expect.any(String) as unknown,
          },
        },
        // The five orders after clicks (59.90 + 24.50 + 120 EUR, 35 + 15.25 USD); per currency, never converted.
        revenue: { EUR: 204.4, USD: 50.25 },
        costPerDelivered: { EUR: 0.0963, USD: 0.024 },
        costPerClick: { EUR: 0.3208, USD: 0.08 },
        costPerConversion: { EUR: 0.77, USD: 0.192 },
        roas: { EUR: 53.0909, USD: 52.3438 },
      },
      caveats: expect.arrayContaining([expect.stringContaining("Meta's webhooks carry no amount")]) as unknown,
    };
    const audience = { audience: 50, enqueued: 50, skipped: {} };
    expect(first.occurrence).toEqual({ campaignId: 'herbst', occurrenceKey, audience, report });
    expect(first.campaign).toEqual({ campaignId: 'herbst', occurrences: 1, audience, report });
  });

  it('stays the same when every webhook, click and order comes a second time, shuffled and overlapping', async () => {
    const messages = sent();
    // One outbox record each (a send Meta accepted twice, its answer lost to a timeout, would be two messages of one record).
    expect(new Set(messages.map((m) => m.ref.callbackData)).size).toBe(50);
    // What the simulator posted for each message: sent and a priced delivered, or Meta's failure.
    const simulated = messages.flatMap(({ ref, at }) =>
      LIMITED.includes(ref.waId) ? [whatsappFailed(ref, 131049)(at)] : REFUSED.includes(ref.waId) ? [whatsappFailed(ref, 131050)(at)] : [whatsappStatus(ref, 'sent')(at), whatsappStatus(ref, 'delivered', PRICING)(at)],
    ) as object[];
    const again: (() => Promise<void>)[] = [
      ...[...simulated, ...posted].map((body) => async () => expect(await stack.postWebhook(body)).toBe(200)),
      async () => expect(await approveMarketingTemplate(stack, TEMPLATE)).toBe(200),
      ...CLICKED.map((waId) => async () => expect((await click(waId)).status).toBe(302)),
      ...ORDERS.map((o) => () => order(o)),
    ];
    const random = mulberry32(15);
    for (let i = again.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [again[i], again[j]] = [again[j] as () => Promise<void>, again[i] as () => Promise<void>];
    }

    // Four at a time, as Meta's deliveries and people's taps overlap.
    await mapLimit(again, 4, (action) => action());
    await settled();

    expect(await reports()).toEqual(first);
  }, 90_000);
});
