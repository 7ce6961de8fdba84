/**
 * Interface under test: the sender use case (createSender) after Meta refuses a send. A store that
 * applies the register writes it is given, a scripted Graph answer, an injected clock: each refusal
 * must leave the state Meta's error implies (opt-out, marketing pause, template pause, account
 * pause, stopped token), and the next send must be refused on that state without calling Meta.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { AccountRef, ContactRef } from '../../../lambdas/domain/events';
import type { GraphFailure } from '../../../lambdas/domain/send/error-classification';
import { ACCOUNT_PAUSE_MS } from '../../../lambdas/domain/send/send-feedback';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { orderOf, type RegisterWrite } from '../../../lambdas/domain/state-writes';
import type { Account } from '../../../lambdas/ports/account-registry';
import type { GraphRequest, GraphResult } from '../../../lambdas/ports/graph-api';
import type { ContactRecord, StoredAttributes, TemplateRecord } from '../../../lambdas/ports/state-store';
import { createSender } from '../../../lambdas/send/sender';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

const accountKey = (a: AccountRef) => `${a.channel}#${a.accountId}`;
const contactKey = (c: ContactRef) => `${c.channel}#${c.accountId}#${c.userId}`;

/** Registers in memory: a write lands when its order beats the register's stored order (as the DynamoDB store does). */
class AppliedStore extends RecordingStore {
  readonly contacts = new Map<string, { ref: ContactRef; state: StoredAttributes; optIns: StoredAttributes[] }>();
  readonly templates = new Map<string, TemplateRecord[]>();
  readonly policies = new Map<string, StoredAttributes>();

  override async apply(writes: readonly RegisterWrite[]): Promise<void> {
    await super.apply(writes);
    for (const write of writes) this.land(write);
  }

  private land(write: RegisterWrite): void {
    const target = write.target;
    switch (target.entity) {
      case 'contact':
        return merge(this.contact(target.contact).state, write);
      case 'opt_in': {
        const contact = this.contact(target.contact);
        let optIn = contact.optIns.find((o) => o.token === target.token);
        if (!optIn) contact.optIns.push((optIn = { token: target.token }));
        return merge(optIn, write);
      }
      case 'template': {
        const list = this.templates.get(accountKey(target.account)) ?? [];
        this.templates.set(accountKey(target.account), list);
        let template = list.find((t) => t.name === target.name && t.language === target.language);
        if (!template) list.push((template = { name: target.name, language: target.language }));
        return merge(template, write);
      }
      case 'account': {
        const policy = this.policies.get(accountKey(target.account)) ?? {};
        this.policies.set(accountKey(target.account), policy);
        return merge(policy, write);
      }
      default:
        return undefined;
    }
  }

  contact(ref: ContactRef): { ref: ContactRef; state: StoredAttributes; optIns: StoredAttributes[] } {
    const key = contactKey(ref);
    const existing = this.contacts.get(key);
    if (existing) return existing;
    const created = { ref, state: {}, optIns: [] };
    this.contacts.set(key, created);
    return created;
  }

  override getPerson(ref: ContactRef): Promise<ContactRecord | undefined> {
    const c = this.contacts.get(contactKey(ref));
    return Promise.resolve(c && { ...c.ref, state: { ...c.state }, optIns: c.optIns.map((o) => ({ ...o })) });
  }

  override listTemplates(account: AccountRef): Promise<TemplateRecord[]> {
    return Promise.resolve((this.templates.get(accountKey(account)) ?? []).map((t) => ({ ...t })));
  }

  override getAccountPolicy(account: AccountRef): Promise<StoredAttributes | undefined> {
    const policy = this.policies.get(accountKey(account));
    return Promise.resolve(policy && { ...policy });
  }
}

const merge = (record: StoredAttributes, write: RegisterWrite): void => {
  const orderKey = `${write.register}Order`;
  const stored = record[orderKey];
  if (typeof stored === 'string' && (write.wins === 'later' ? write.order <= stored : write.order >= stored)) return;
  record[orderKey] = write.order;
  for (const [field, value] of Object.entries(write.fields)) {
    if (value === undefined) delete record[field];
    else record[field] = value;
  }
};

const PHONE = '109876543210987';
const WABA = '102290129340398';
const PAGE = '1353269864728879';
const WA_USER = '4915112345678';
const PSID = '6254481371233015';
const TOKEN = 'mm_token_1';

const ACCOUNTS: Account[] = [
  { channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC', wabaId: WABA },
  { channel: 'messenger', accountId: PAGE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC', country: 'US', adAccountId: '42' },
];

const waMarketing: SendIntent = {
  channel: 'whatsapp',
  accountId: PHONE,
  userId: WA_USER,
  kind: 'marketing',
  author: 'bot',
  content: { type: 'template', name: 'summer_sale', language: 'en_US' },
};
const messengerReply: SendIntent = { channel: 'messenger', accountId: PAGE, userId: PSID, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hi' } };
const messengerMarketing: SendIntent = {
  channel: 'messenger',
  accountId: PAGE,
  userId: PSID,
  kind: 'marketing',
  author: 'bot',
  content: { type: 'text', text: 'Summer sale' },
  campaignMessageId: '120210000000000001',
};

const refusal = (channel: GraphFailure['channel'], code: number, subcode?: number): GraphResult => ({
  ok: false,
  failure: { channel, httpStatus: 400, code, subcode, requestSent: true },
  message: `(#${code}) refused`,
});

const setup = () => {
  const time = { now: Date.UTC(2026, 4, 17, 12) };
  const store = new AppliedStore();
  // The WhatsApp person wrote a week ago (window closed: a template is needed); the Messenger person
  // wrote a minute ago and subscribed to marketing messages a month ago.
  store.contact({ channel: 'whatsapp', accountId: PHONE, userId: WA_USER }).state.lastInboundAt = time.now - 7 * DAY_MS;
  const page = store.contact({ channel: 'messenger', accountId: PAGE, userId: PSID });
  page.state.lastInboundAt = time.now - 60_000;
  page.optIns.push({ token: TOKEN, status: 'active', optedInAt: time.now - 30 * DAY_MS });
  store.templates.set(accountKey({ channel: 'whatsapp', accountId: WABA }), [{ name: 'summer_sale', language: 'en_US', status: 'APPROVED', category: 'MARKETING' }]);

  const outbox = new MemoryOutbox();
  const answers: GraphResult[] = [];
  const calls: GraphRequest[] = [];
  const processJob = createSender({
    outbox,
    store,
    accounts: new FixedAccounts(ACCOUNTS),
    graph: {
      send: (request) => {
        calls.push(request);
        return Promise.resolve(answers.shift() ?? { ok: true, messageId: 'mid.ok' });
      },
    },
    pacer: { acquire: () => Promise.resolve({ ok: true }), backOff: () => undefined },
    queue: { enqueue: () => Promise.resolve() },
    clock: () => time.now,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  let jobs = 0;
  /** Queues the intent, runs its job once and returns what happened to it. */
  const run = async (intent: SendIntent) => {
    jobs += 1;
    const { outboxId } = (await outbox.create({ idempotencyKey: `k${jobs}`, intent, now: time.now })).record;
    const outcome = await processJob(outboxId);
    return { outboxId, outcome, record: await outbox.get(outboxId) };
  };
  return { time, store, answers, calls, run };
};

const timedOut: GraphResult = { ok: false, failure: { channel: 'whatsapp', transport: 'timeout', requestSent: true } };

describe('sender: the state a refused send writes', () => {
  it('131050 on a WhatsApp marketing template records the contact’s marketing opt-out', async () => {
    const { time, store, answers, calls, run } = setup();
    answers.push(refusal('whatsapp', 131050));
    const first = await run(waMarketing);
    expect(first.outcome).toBe('failed');
    expect(first.record).toMatchObject({ status: 'failed', errorCode: 131050, reason: 'marketing_opted_out' });
    expect(store.writes).toEqual([
      {
        target: { entity: 'contact', contact: { channel: 'whatsapp', accountId: PHONE, userId: WA_USER } },
        register: 'marketingPreference',
        order: orderOf(time.now, `send#${first.outboxId}`),
        wins: 'later',
        fields: { marketingOptOut: true, marketingPreferenceAt: time.now, marketingPreferenceCategory: 'send_error_131050' },
      },
    ]);

    time.now += 30 * DAY_MS;
    const next = await run(waMarketing);
    expect(next.record).toMatchObject({ status: 'skipped', reason: 'marketing_opted_out' });
    expect(calls).toHaveLength(1);
  });

  it('131049 pauses marketing to the person for 24 h, and only for 24 h', async () => {
    const { time, store, answers, calls, run } = setup();
    answers.push(refusal('whatsapp', 131049));
    const first = await run(waMarketing);
    expect(first.outcome).toBe('failed');
    expect(store.writes).toEqual([
      {
        target: { entity: 'contact', contact: { channel: 'whatsapp', accountId: PHONE, userId: WA_USER } },
        register: 'marketingPause',
        order: orderOf(time.now, `send#${first.outboxId}`),
        wins: 'later',
        fields: { marketingPausedUntil: time.now + DAY_MS, marketingPauseReason: 'send_error_131049' },
      },
    ]);

    time.now += DAY_MS - 1;
    expect((await run(waMarketing)).record).toMatchObject({ status: 'skipped', reason: 'marketing_limit_backoff', earliestAt: time.now + 1 });
    time.now += 1;
    expect((await run(waMarketing)).outcome).toBe('sent');
    expect(calls).toHaveLength(2);
  });

  it('132015 marks the template PAUSED on the account’s WABA, where templates live', async () => {
    const { time, store, answers, calls, run } = setup();
    answers.push(refusal('whatsapp', 132015));
    const first = await run(waMarketing);
    expect(first.outcome).toBe('failed');
    expect(store.writes).toEqual([
      {
        target: { entity: 'template', account: { channel: 'whatsapp', accountId: WABA }, name: 'summer_sale', language: 'en_US' },
        register: 'templateStatus',
        order: orderOf(time.now, `send#${first.outboxId}`),
        wins: 'later',
        fields: { status: 'PAUSED', statusReason: 'send_error_132015', statusAt: time.now },
      },
    ]);
    expect(store.templates.get(`whatsapp#${PHONE}`)).toBeUndefined();

    time.now += HOUR_MS;
    expect((await run(waMarketing)).record).toMatchObject({ status: 'skipped', reason: 'template_paused' });
    expect(calls).toHaveLength(1);
  });

  it('10/1893063 on Messenger pauses the Page’s sending for 15 minutes as page_restricted', async () => {
    const { time, store, answers, calls, run } = setup();
    answers.push(refusal('messenger', 10, 1893063));
    const first = await run(messengerReply);
    expect(first.record).toMatchObject({ status: 'failed', errorCode: 10, reason: 'page_restricted' });
    expect(ACCOUNT_PAUSE_MS).toBe(15 * 60_000);
    expect(store.writes).toEqual([
      {
        target: { entity: 'account', account: { channel: 'messenger', accountId: PAGE } },
        register: 'sendingPause',
        order: orderOf(time.now, `send#${first.outboxId}`),
        wins: 'later',
        fields: { sendingPausedUntil: time.now + 15 * 60_000, sendingPauseReason: 'page_restricted', sendingPauseCode: 10 },
      },
    ]);

    time.now += 15 * 60_000 - 1;
    expect((await run(messengerReply)).record).toMatchObject({ status: 'skipped', reason: 'account_paused', earliestAt: time.now + 1 });
    time.now += 1;
    expect((await run(messengerReply)).outcome).toBe('sent');
    expect(calls).toHaveLength(2);
  });

  it('2300034 on a Messenger marketing message stops the opt-in token it went out on', async () => {
    const { time, store, answers, calls, run } = setup();
    time.now += 2 * DAY_MS; // outside the window: the Marketing Message API's door
    answers.push(refusal('messenger', 2300034));
    const first = await run(messengerMarketing);
    expect(calls[0]?.body).toMatchObject({ messenger_delivery_data: { subscription_token: TOKEN } });
    expect(first.record).toMatchObject({ status: 'failed', errorCode: 2300034, reason: 'marketing_opted_out' });
    expect(store.writes).toEqual([
      {
        target: { entity: 'opt_in', contact: { channel: 'messenger', accountId: PAGE, userId: PSID }, token: TOKEN },
        register: 'optInStatus',
        order: orderOf(time.now, `send#${first.outboxId}`),
        wins: 'later',
        fields: { status: 'stopped', lastChange: 'stop', statusChangedAt: time.now },
      },
    ]);

    time.now += 7 * DAY_MS;
    expect((await run(messengerMarketing)).record).toMatchObject({ status: 'skipped', reason: 'opt_in_stopped' });
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['a dropped send (131047, window closed)', refusal('whatsapp', 131047)],
    ['a retried send (130429, throughput)', refusal('whatsapp', 130429, 2494055)],
    ['an ambiguous send (timeout after sending)', timedOut],
  ])('writes nothing for %s', async (_case, answer) => {
    const { store, answers, run } = setup();
    answers.push(answer);
    expect((await run(waMarketing)).outcome).not.toBe('sent');
    expect(store.writes).toEqual([]);
  });
});
