/**
 * `npm run demo`: on an in-process local stack (dynalite in memory, the Meta simulator reporting
 * delivered and read back as signed webhooks), first a WhatsApp conversation with automation
 * (greeting, STOP, START, a human handoff, and what it cost), then one marketing campaign end to end:
 * its full funnel (clicks, replies, conversions, Meta's limit, billed cost) and the account's responsiveness.
 * Everything goes through the doors used in AWS: signed webhooks and the admin API; the campaign is
 * fired by the local scheduler's own timer, so the stack runs on real time.
 * `npm run demo -- conversation` runs the conversation alone (a few seconds).
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { AfterchatClient } from '../cli/client/afterchat-client';
import { CliError } from '../cli/errors';
import type { Route } from '../lambdas/admin/contract';
import { type LocalStack, startLocalStack } from '../lambdas/local/local-stack';
import type { MetaSimulator } from '../lambdas/local/meta-simulator';
import { adminClient } from './demo/admin-client';
import { runConversationDemo } from './demo/conversation';
import { answerAndMeasure, engage, type MeasurementDemo, printFullFunnel } from './demo/measurement';
import { inboundTexts, marketingStopped, postSigned, templateApproved, type WhatsAppNumber, type Writer } from './demo/whatsapp-webhooks';

const APP_SECRET = 'demo-app-secret';
const NUMBER: WhatsAppNumber = { phoneNumberId: '109876543210987', wabaId: '102290129340398', displayPhoneNumber: '15550783881' };
const ACCOUNT = { channel: 'whatsapp', accountId: NUMBER.phoneNumberId } as const;
const TEMPLATE = { id: 1689556908129901, name: 'weekly_deals', language: 'de', category: 'MARKETING' };
const CAMPAIGN_ID = 'weekly-deals-demo';
const TIMEOUT_MS = 150_000;
const WRITERS: Writer[] = ['Lena', 'Jonas', 'Mia', 'Paul', 'Emma', 'Felix', 'Hannah', 'Noah'].map((name, i) => ({ waId: `49151123400${i + 1}0`, name }));
const OPTED_OUT = WRITERS[6] as Writer;
const NOT_SUBSCRIBED = WRITERS[7] as Writer;
/** Wrote two days ago (no open window) and has reached Meta's per-person marketing limit: the simulator fails her template 131049. */
const LIMITED: Writer = { waId: '4915112340090', name: 'Lara' };
const ENGAGEMENT = { tapper: WRITERS[0] as Writer, replier: WRITERS[1] as Writer, stopper: WRITERS[3] as Writer, order: { value: 49.9, currency: 'EUR' } };

type OccurrenceView = Route<'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}'>['response'];
type CampaignPreview = Route<'POST /admin/campaigns/{campaignId}/preview'>['response'];

let step = 'starting the local stack';
let steps = 0;
const begin = (title: string): void => {
  step = title;
  steps += 1;
  console.log(`\n▸ ${steps}. ${title}`);
};
const say = (line: string): void => console.log(`  ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const clockTime = (ms: number): string => new Date(ms).toTimeString().slice(0, 8);

const setUpAccount = async (stack: LocalStack, admin: AfterchatClient): Promise<void> => {
  begin('Register the WhatsApp number and approve a marketing template');
  await admin.putAccount(ACCOUNT, { displayName: 'Demo Shop', tokenSecret: 'afterchat/dev/tokens/demo-whatsapp', timezone: 'Europe/Berlin', wabaId: NUMBER.wabaId });
  say(`account ${ACCOUNT.channel}/${ACCOUNT.accountId} registered (WABA ${NUMBER.wabaId}, Europe/Berlin)`);
  await postSigned(stack.url, APP_SECRET, templateApproved(NUMBER, TEMPLATE));
  say(`template ${TEMPLATE.name} (${TEMPLATE.language}) APPROVED as ${TEMPLATE.category}, via a signed message_template_status_update webhook`);
};

const addContacts = async (stack: LocalStack, admin: AfterchatClient): Promise<void> => {
  begin(`${WRITERS.length + 1} contacts write in; profiles, one opt-out, one at Meta's marketing limit`);
  await postSigned(stack.url, APP_SECRET, inboundTexts(NUMBER, WRITERS, Date.now()));
  say(`${WRITERS.length} inbound messages in one signed webhook: ${WRITERS.map((w) => `${w.name} +${w.waId}`).join(', ')}`);
  await postSigned(stack.url, APP_SECRET, inboundTexts(NUMBER, [LIMITED], Date.now() - 2 * 86_400_000));
  (stack.sending as NonNullable<LocalStack['sending']>).simulator.setMarketingLimited({ accountId: NUMBER.phoneNumberId, userId: LIMITED.waId });
  say(`${LIMITED.name} +${LIMITED.waId} wrote two days ago (window closed) and has reached Meta's per-person marketing limit (the simulator will fail her template 131049)`);
  for (const writer of [...WRITERS, LIMITED]) {
    const tags = writer === NOT_SUBSCRIBED ? ['vip'] : ['newsletter'];
    await admin.putContactProfile({ ...ACCOUNT, userId: writer.waId }, { tags, attributes: { firstName: writer.name }, timeZone: 'Europe/Berlin', country: 'DE' });
  }
  say(`profiles stored: firstName for all, tag newsletter for all but ${NOT_SUBSCRIBED.name} (tag vip: not in the audience)`);
  await postSigned(stack.url, APP_SECRET, marketingStopped(NUMBER, OPTED_OUT.waId, Date.now()));
  say(`${OPTED_OUT.name} stopped marketing messages (signed user_preferences webhook, value stop)`);
};

const createCampaign = async (admin: AfterchatClient): Promise<number> => {
  begin('Create, preview and schedule the campaign');
  const fireAt = Math.ceil((Date.now() + 5_000) / 60_000) * 60_000;
  await admin.putCampaign({
    id: CAMPAIGN_ID,
    name: 'Weekly deals (demo)',
    accounts: [ACCOUNT],
    audience: { tags: ['newsletter'], channel: 'whatsapp' },
    content: { type: 'template', name: TEMPLATE.name, language: TEMPLATE.language, parameters: [{ name: 'first_name', fromAttribute: 'firstName', value: 'du' }] },
    kind: 'marketing',
    schedule: { kind: 'once', at: new Date(fireAt).toISOString() },
    status: 'draft',
  });
  say(`draft ${CAMPAIGN_ID}: template ${TEMPLATE.name}, first_name from attribute firstName, audience tag newsletter, once at ${new Date(fireAt).toISOString()}`);
  printPreview(await admin.previewCampaign(CAMPAIGN_ID));
  const scheduled = await admin.scheduleCampaign(CAMPAIGN_ID);
  say(`scheduled: rule ${String(scheduled.ruleName)}, status ${scheduled.status}`);
  return fireAt;
};

const printPreview = (preview: CampaignPreview): void => {
  say(`preview: audience ${preview.audience}, eligible ${preview.eligible}`);
  for (const [route, n] of Object.entries(preview.eligibleByRoute)) say(`  eligible via ${route}: ${n}`);
  for (const [reason, n] of Object.entries(preview.skipped)) say(`  skipped, ${reason}: ${n}`);
  for (const line of preview.estimate.lines) {
    const price = line.pricePerMessage === null ? 'not priced' : `${line.count} × ${line.pricePerMessage} ${line.currency ?? ''} = ${line.amount} ${line.currency ?? ''}`;
    say(`  cost: ${line.channel} ${line.category} ${line.market}: ${price}`);
  }
  const totals = Object.entries(preview.estimate.totalsByCurrency).map(([currency, total]) => `${total.toFixed(2)} ${currency}`);
  say(`  estimated total: ${totals.join(' + ') || 'nothing priced'} (as of ${preview.estimate.asOf}; illustrative rates, not Meta's rate card)`);
};

/** The stack's scheduler fires the rule on its own timer; we only watch the campaign for its occurrence. */
const waitForFiring = async (admin: AfterchatClient, fireAt: number): Promise<string> => {
  begin('Wait for the local scheduler to fire the rule');
  let lastCountdown = 0;
  for (;;) {
    const shown = await admin.getCampaign(CAMPAIGN_ID);
    const key = shown.occurrences[0]?.occurrenceKey;
    if (key !== undefined) {
      say(`fired at ${clockTime(Date.now())}: occurrence ${key}`);
      return key;
    }
    if (Date.now() - lastCountdown >= 5_000) {
      lastCountdown = Date.now();
      say(`waiting for the rule to fire at ${clockTime(fireAt)} (${Math.max(0, Math.ceil((fireAt - Date.now()) / 1000))} s)`);
    }
    await sleep(250);
  }
};

/** Done means: the dispatcher finished, every job left the queue, and Meta's status webhooks landed. */
const waitForOutcome = async (stack: LocalStack, simulator: MetaSimulator, admin: AfterchatClient, key: string): Promise<OccurrenceView> => {
  let reported = '';
  for (;;) {
    const occurrence = await admin.getOccurrence(CAMPAIGN_ID, key);
    if (occurrence.status === 'stopped' || occurrence.status === 'paused') throw new Error(`the occurrence ${occurrence.status} (${JSON.stringify(occurrence)})`);
    const { funnel } = occurrence;
    const progress = `occurrence ${occurrence.status}: ${occurrence.counts.enqueued} enqueued, ${funnel.pending} pending, ${funnel.sent} sent`;
    if (progress !== reported) say((reported = progress));
    if (occurrence.status === 'done' && funnel.pending === 0 && (await queuedJobs(stack)) === 0) break;
    await sleep(500);
  }
  step = "waiting for the simulator's status webhooks";
  await simulator.flushWebhooks();
  return admin.getOccurrence(CAMPAIGN_ID, key);
};

const queuedJobs = async (stack: LocalStack): Promise<number> => {
  const { Attributes = {} } = await stack.queues.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.queues.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Object.values(Attributes).reduce((n, v) => n + Number(v), 0);
};

/** The rows before the funnel report's: the audience and what planning and the sender skipped. */
const audienceRows = (occurrence: OccurrenceView): [string, number][] => {
  const { counts, funnel } = occurrence;
  return [
    ['targeted (audience)', counts.audience],
    ...Object.entries(counts.skipped).map(([reason, n]): [string, number] => [`skipped when planning: ${reason}`, n]),
    ...Object.entries(funnel.skippedAtSend).map(([reason, n]): [string, number] => [`skipped at send: ${reason}`, n]),
    ['enqueued', counts.enqueued],
    ...(funnel.unknown > 0 ? [['outcome unknown', funnel.unknown] as [string, number]] : []),
  ];
};

/** A contact's conversation with automation, and what it cost (bin/demo/conversation.ts). */
const converse = async (stack: LocalStack, simulator: MetaSimulator, admin: AfterchatClient): Promise<void> => {
  const { steps: conversation } = await runConversationDemo({ stack, simulator, admin, appSecret: APP_SECRET, number: NUMBER, begin, say });
  if (conversation.every((s) => s.replies.length === 0)) throw new Error('automation answered none of the conversation');
};

const run = async (stack: LocalStack, conversationOnly: boolean): Promise<void> => {
  const simulator = (stack.sending as NonNullable<LocalStack['sending']>).simulator;
  const admin = adminClient(stack.url);
  say(`local stack at ${stack.url}, Meta simulator at ${simulator.url}`);
  await setUpAccount(stack, admin);
  if (conversationOnly) return void (await converse(stack, simulator, admin));
  await addContacts(stack, admin);
  const fireAt = await createCampaign(admin);
  // The conversation runs while the campaign waits for its minute.
  await converse(stack, simulator, admin);
  const key = await waitForFiring(admin, fireAt);
  step = 'waiting for the occurrence to finish and its jobs to be sent';
  const occurrence = await waitForOutcome(stack, simulator, admin, key);
  // Lara's template is sent, then failed by Meta (131049): every other enqueued job is sent.
  if (occurrence.counts.enqueued === 0 || occurrence.funnel.sent + occurrence.funnel.failed !== occurrence.counts.enqueued) {
    throw new Error(`expected every enqueued job to be sent: ${occurrence.counts.enqueued} enqueued, ${occurrence.funnel.sent} sent, ${occurrence.funnel.failed} failed`);
  }
  const measurement: MeasurementDemo = { stack, simulator, admin, appSecret: APP_SECRET, number: NUMBER, campaignId: CAMPAIGN_ID, occurrenceKey: key, templateName: TEMPLATE.name, begin, say };
  step = 'waiting for the clicks, replies, opt-outs and the order to be counted';
  const report = await engage(measurement, ENGAGEMENT);
  printFullFunnel(measurement, audienceRows(occurrence), report);
  step = "answering the handoff and reading the account's responsiveness";
  await answerAndMeasure(measurement);
};

const main = async (): Promise<void> => {
  // A stuck step must not hang the terminal: say where it stopped and give up.
  const watchdog = setTimeout(() => {
    console.error(`\n✗ demo timed out after ${TIMEOUT_MS / 1000} s while ${step}`);
    process.exit(1);
  }, TIMEOUT_MS);
  const stack = await startLocalStack({
    appSecret: APP_SECRET,
    verifyToken: 'demo-verify-token',
    // Progress is printed here; the handlers' own logs would drown it, so only errors show.
    logger: new Logger({ serviceName: 'afterchat-demo', logLevel: 'ERROR' }),
    sending: {
      tokens: { [NUMBER.phoneNumberId]: 'demo-whatsapp-token' },
      whatsappNumbers: { [NUMBER.phoneNumberId]: { wabaId: NUMBER.wabaId, displayPhoneNumber: NUMBER.displayPhoneNumber } },
      webhookDelayMs: 300,
    },
  });
  try {
    await run(stack, process.argv.includes('conversation'));
  } finally {
    step = 'closing the local stack';
    await stack.close();
    clearTimeout(watchdog);
  }
  console.log('\n✓ demo finished');
};

main().catch((error: unknown) => {
  const lines = error instanceof CliError ? error.lines.map((line) => `\n  ${line}`).join('') : '';
  console.error(`\n✗ demo failed while ${step}: ${error instanceof Error ? error.message : String(error)}${lines}`);
  process.exit(1);
});
