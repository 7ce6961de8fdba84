/**
 * The demo's measurement: after the campaign landed, people act on it — a button tap, a reply, a
 * STOP, an order the shop posts on the business bus — and an agent answers the conversation's
 * handoff; then the occurrence's whole funnel (GET …/report) and the account's responsiveness are
 * printed as the admin API reports them (`afterchat report occurrence|responsiveness` prints the same).
 */
import type { AfterchatClient } from '../../cli/client/afterchat-client';
import type { Route } from '../../lambdas/admin/contract';
import type { LocalStack } from '../../lambdas/local/local-stack';
import type { MetaSimulator } from '../../lambdas/local/meta-simulator';
import { DEMO_WRITER } from './conversation';
import { printRows } from './print-rows';
import { buttonTapped, inboundText, postSigned, type WhatsAppNumber, type Writer } from './whatsapp-webhooks';

type FunnelReport = Route<'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/report'>['response']['report'];

export interface MeasurementDemo {
  stack: LocalStack;
  simulator: MetaSimulator;
  admin: AfterchatClient;
  appSecret: string;
  number: WhatsAppNumber;
  campaignId: string;
  occurrenceKey: string;
  templateName: string;
  begin: (title: string) => void;
  say: (line: string) => void;
}

export interface Engagement {
  tapper: Writer;
  replier: Writer;
  stopper: Writer;
  order: { value: number; currency: string };
}

const POLL_MS = 250;
const SETTLE_MS = 20_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const percent = (rate: number | null): string => (rate === null ? '—' : `${Number((rate * 100).toFixed(2))} %`);
const amounts = (byCurrency: Readonly<Record<string, number | null>> | null): string =>
  Object.entries(byCurrency ?? {})
    .map(([currency, n]) => `${n ?? '—'} ${currency}`)
    .join(' + ') || '—';
const duration = (seconds: number | null): string => (seconds === null ? '—' : seconds < 60 ? `${Math.round(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`);

const report = async (demo: MeasurementDemo): Promise<FunnelReport> => (await demo.admin.getOccurrenceReport(demo.campaignId, demo.occurrenceKey)).report;

/** The people act on the campaign through the doors Meta and the shop use; the report is read until it shows all of it (or 20 s pass). */
export const engage = async (demo: MeasurementDemo, people: Engagement): Promise<FunnelReport> => {
  const { stack, simulator, number, appSecret, say } = demo;
  demo.begin('People act on the campaign: a button tap, a reply, a STOP, and an order');
  // WhatsApp stamps messages in whole seconds: one stamped in the second the campaign went out would
  // seem to come before it, and answer nothing.
  await sleep(2_000);
  const sent = simulator.accepted().find((m) => m.recipient === people.tapper.waId && m.template?.name === demo.templateName);
  if (sent === undefined) throw new Error(`the simulator has no ${demo.templateName} to ${people.tapper.name}`);
  await postSigned(stack.url, appSecret, buttonTapped(number, people.tapper, sent.id, { text: 'Show me the deals', payload: 'DEALS' }, Date.now()));
  say(`${people.tapper.name} taps the template's button "Show me the deals" (a signed button webhook answering the campaign message): a click`);
  await postSigned(stack.url, appSecret, inboundText(number, people.replier, 'Is the city bike still in stock?', Date.now()));
  say(`${people.replier.name} answers the campaign message: a reply within 72 h of its delivery`);
  await postSigned(stack.url, appSecret, inboundText(number, people.stopper, 'STOP', Date.now()));
  say(`${people.stopper.name} writes STOP: an opt-out within 72 h of the delivery`);
  const detail = { channel: 'whatsapp', accountId: number.phoneNumberId, userId: people.tapper.waId, orderId: 'DEMO-1001', ...people.order, occurredAt: new Date().toISOString() };
  await demo.admin.putEvents({ Entries: [{ Source: 'com.demoshop.orders', DetailType: 'order.placed', Detail: JSON.stringify(detail) }] });
  say(`the shop puts order.placed on the business bus: ${people.tapper.name} bought for ${people.order.value} ${people.order.currency}, attributed to the message she clicked (last touch, 7 days)`);

  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const now = await report(demo);
    if ((now.clicked >= 1 && now.replied >= 1 && now.optedOut >= 1 && now.converted >= 1) || Date.now() > deadline) return now;
    await sleep(POLL_MS);
  }
};

/** The occurrence's funnel as `GET …/occurrences/{occurrenceKey}/report` gives it, with Meta's rates, money and caveats. */
export const printFullFunnel = (demo: MeasurementDemo, skipped: readonly [string, number][], r: FunnelReport): void => {
  demo.begin(`Funnel of occurrence ${demo.occurrenceKey} (GET …/report; \`afterchat report occurrence ${demo.campaignId}\` prints the same)`);
  const { money } = r;
  printRows(
    [
      ...skipped,
      ['sent', r.sent],
      ['delivered', `${r.delivered} (delivery rate ${percent(r.rates.deliveryRate)})`],
      ['read', `${r.read} (read rate ${percent(r.rates.readRate)})`],
      ['clicked', `${r.clicked} (click-through rate ${percent(r.rates.clickThroughRate)})`],
      ['replied', `${r.replied} (reply rate ${percent(r.rates.replyRate)})`],
      ['converted', `${r.converted} (conversion rate ${percent(r.rates.conversionRate)})`],
      ['opted out', `${r.optedOut} (opt-out rate ${percent(r.rates.optOutRate)})`],
      ['limited by Meta', `${r.limited.total}${r.limited.byCode.map((c) => ` (${c.code}: ${c.count})`).join('')}`],
      ['failed', `${r.failed.total}${r.failed.byCode.map((c) => ` (${c.code}: ${c.count})`).join('')}`],
      ['estimated cost', amounts(money.estimated)],
      ['billed cost', `${amounts(money.billed.cost.totalsByCurrency)} (${money.billed.messages} billable messages)`],
      ['cost per delivered', amounts(money.costPerDelivered)],
      ['revenue', amounts(money.revenue)],
      ['ROAS', Object.entries(money.roas).map(([currency, roas]) => `${roas ?? '—'}× (${currency})`).join(' + ') || '—'],
    ],
    demo.say,
  );
  for (const code of [...r.limited.byCode, ...r.failed.byCode]) demo.say(`${code.code}: ${code.title ?? "(Meta gave no title)"}`);
  for (const caveat of r.caveats) demo.say(`note: ${caveat}`);
};

/** An agent answers the conversation's handoff through the admin API (author human), then the day's responsiveness is read. */
export const answerAndMeasure = async (demo: MeasurementDemo): Promise<void> => {
  const account = { channel: 'whatsapp', accountId: demo.number.phoneNumberId } as const;
  demo.begin(`An agent answers ${DEMO_WRITER.name}; responsiveness (GET …/responsiveness; \`afterchat report responsiveness\` prints the same)`);
  await demo.admin.send({
    intent: { ...account, userId: DEMO_WRITER.waId, kind: 'reply', author: 'human', content: { type: 'text', text: 'Hi Sophie, Jana here. How can I help?' } },
    idempotencyKey: 'demo-agent-reply',
  });
  demo.say(`the agent's reply to ${DEMO_WRITER.name} (POST /admin/sends, author human) answers her waiting conversation; automation's replies never count`);
  const r = await demo.admin.getResponsiveness(account);
  demo.say(
    `responsiveness ${r.from} to ${r.to} (${r.timeZone}): ${r.conversations} conversations, ${r.answered} answered by a person (response rate ${percent(r.responseRate)}), ` +
      `median first response ${duration(r.medianSeconds)}; Messenger's very-responsive badge: ${r.veryResponsive.meets ? 'yes' : 'no'}`,
  );
};
