/**
 * Interface under test: the handoff keywords, the handoff rule as the automation use case runs it
 * (RULES, silence, the register as stored), and what a handoff announces on the business bus.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { mergeContactStates } from '../../../../lambdas/adapters/dynamodb/contact-merge';
import { createAutomation } from '../../../../lambdas/automation/run-automation';
import { CONFIRMATIONS } from '../../../../lambdas/domain/automation/confirmations';
import { HANDOFF_REQUESTED, handoffLive, handoffOf, resumeWrite } from '../../../../lambdas/domain/automation/handoff';
import { HANDOFF_KEYWORDS, HANDOFF_PAYLOAD, matchHandoff } from '../../../../lambdas/domain/automation/handoff-keywords';
import { HANDOFF_ACKNOWLEDGEMENTS } from '../../../../lambdas/domain/automation/handoff-texts';
import type { AutomationInbound } from '../../../../lambdas/domain/automation/keyword-opt-out';
import { KEYWORDS, keywordForm, matchKeyword } from '../../../../lambdas/domain/automation/keywords';
import { handoffRule } from '../../../../lambdas/domain/automation/handoff-rule';
import { silencedFor } from '../../../../lambdas/domain/automation/silence';
import { automationInbound } from '../../../../lambdas/domain/automation/hand-off';
import type { ContactRef, EchoEvent } from '../../../../lambdas/domain/events';
import { outboxIdFor } from '../../../../lambdas/domain/send/outbox-id';
import type { SendIntent } from '../../../../lambdas/domain/send/send-intent';
import { type AutomationConfig, type AutomationConfigInput, AutomationConfigSchema, DEFAULT_AUTOMATION_CONFIG } from '../../../../lambdas/schemas/automation-config';
import { RegisterModel } from '../../../helpers/register-model';

const PERSON: ContactRef = { channel: 'messenger', accountId: '1234567890123456', userId: '6543210987654321' };
const T0 = Date.UTC(2026, 11, 6, 10);
const HOUR = 3_600_000;
const message = (n: number, said: { text?: string; payload?: string }, at = T0 + n * 1000): AutomationInbound => ({
  eventKey: `messenger#${PERSON.accountId}#mid#m_${n}`,
  occurredAt: at,
  contact: PERSON,
  ...said,
});
const echo = (n: number, at: number): AutomationInbound => ({ kind: 'echo', eventKey: `messenger#${PERSON.accountId}#echo#m_${n}`, occurredAt: at, contact: PERSON });

describe('handoff keywords', () => {
  const match = (text: string, config: AutomationConfig = DEFAULT_AUTOMATION_CONFIG) => matchHandoff({ text }, config);

  it.each(['agent', 'Agent!', ' HUMAN ', 'medewerker', 'Mitarbeiter.', 'humain', 'Conseiller', 'agente', 'humano', 'operatore', 'atendente', 'opérateur', 'operateur'])(
    'the whole message %j asks for a human',
    (text) => {
      expect(match(text)).toMatchObject({ via: 'text' });
    },
  );

  it.each(['is an agent online?', 'I am human', 'agents', 'human being please', ''])('never inside a sentence or another word: %j', (text) => {
    expect(match(text)).toBeUndefined();
  });

  it('answers in the word’s language; a word several languages share in the account’s default one among them', () => {
    expect(match('medewerker')).toMatchObject({ language: 'nl', keyword: 'MEDEWERKER' });
    expect(match('Mitarbeiter')).toMatchObject({ language: 'de' });
    expect(match('humano')).toMatchObject({ language: 'es' });
    expect(match('humano', AutomationConfigSchema.parse({ defaultLanguage: 'pt' }))).toMatchObject({ language: 'pt' });
    expect(match('agente', AutomationConfigSchema.parse({ defaultLanguage: 'it' }))).toMatchObject({ language: 'it' });
  });

  it('takes the account’s own words and the AFTERCHAT_HUMAN payload', () => {
    const config = AutomationConfigSchema.parse({ defaultLanguage: 'nl', keywords: { handoff: ['Bel mij'] } });
    expect(match('bel mij!', config)).toEqual({ keyword: 'Bel mij', language: 'nl', via: 'text' });
    expect(match('bel mij!')).toBeUndefined();
    expect(matchHandoff({ payload: HANDOFF_PAYLOAD }, config)).toEqual({ keyword: HANDOFF_PAYLOAD, language: 'nl', via: 'payload' });
  });

  it('no handoff word is a STOP or START word, and every language has an acknowledgement', () => {
    const stopStart = new Set(Object.values(KEYWORDS).flatMap((a) => [...a.stop, ...a.start].map(keywordForm)));
    for (const [language, words] of Object.entries(HANDOFF_KEYWORDS)) {
      for (const word of words) {
        expect(stopStart.has(keywordForm(word))).toBe(false);
        expect(matchKeyword({ text: word })).toBeUndefined();
      }
      expect(HANDOFF_ACKNOWLEDGEMENTS[language as keyof typeof HANDOFF_ACKNOWLEDGEMENTS].length).toBeGreaterThan(0);
    }
  });
});

const setup = (configInput: AutomationConfigInput = {}) => {
  const model = new RegisterModel();
  const jobs = new Map<string, SendIntent>();
  const config = AutomationConfigSchema.parse(configInput);
  const clock = { now: T0 };
  const run = createAutomation({
    store: {
      getPerson: () => Promise.resolve(model.items.size === 0 ? undefined : { ...PERSON, state: mergeContactStates([...model.items.values()]), optIns: [] }),
      apply: (writes) => Promise.resolve(model.applyWrites(writes)),
    },
    sends: {
      send: (intent, idempotencyKey) => {
        const created = !jobs.has(idempotencyKey);
        if (created) jobs.set(idempotencyKey, intent);
        return Promise.resolve({ created, record: { outboxId: `ob_${idempotencyKey}` }, decision: { outcome: 'allow', route: 'messenger.response', pricing: 'free', rule: 'messenger.window.standard' } });
      },
    },
    configs: { get: () => Promise.resolve(config) },
    accounts: { get: (a) => Promise.resolve({ ...a, displayName: 'Shop', tokenSecret: 'token', timezone: 'Europe/Amsterdam' }) },
    clock: () => clock.now,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  const state = () => mergeContactStates([...model.items.values()]);
  const texts = () => [...jobs.values()].map((i) => (i.content.type === 'text' ? i.content.text : i.content.type));
  return { run, jobs, clock, state, texts, model, config };
};

describe('the handoff rule', () => {
  it('acknowledges once in the word’s language, announces it on the bus, and silences automation until the timeout', async () => {
    const { run, jobs, clock, state, texts } = setup({ handoff: { timeoutHours: 6 } });
    await run([message(1, { text: 'medewerker' })]);
    expect(texts()).toEqual([HANDOFF_ACKNOWLEDGEMENTS.nl]);
    expect([...jobs.values()][0]).toMatchObject({ author: 'bot', kind: 'reply' });
    expect(handoffOf(state())).toMatchObject({ active: true, source: 'keyword', keyword: 'MEDEWERKER', since: T0 + 1000, until: T0 + 1000 + 6 * HOUR });

    // While a human has it: STOP is recorded but not confirmed, a second request is not acknowledged again.
    clock.now = T0 + HOUR;
    await run([message(2, { text: 'STOP' }), message(3, { text: 'agent' }, T0 + HOUR)]);
    expect(texts()).toEqual([HANDOFF_ACKNOWLEDGEMENTS.nl]);
    expect(state().keywordOptOut).toBe(true);
    // The second request moved the timeout.
    expect(handoffOf(state())?.until).toBe(T0 + 7 * HOUR);

    // After it, automation answers again.
    clock.now = T0 + 7 * HOUR + 1;
    await run([message(4, { text: 'START' }, clock.now)]);
    expect(texts()).toEqual([HANDOFF_ACKNOWLEDGEMENTS.nl, CONFIRMATIONS.en.start]);
  });

  it('uses the account’s text, and the payload hands over as the words do', async () => {
    const { run, texts, state } = setup({ defaultLanguage: 'de', handoff: { texts: { de: 'Einen Moment, wir melden uns.', en: 'One moment.' } } });
    await run([message(1, { payload: HANDOFF_PAYLOAD })]);
    expect(texts()).toEqual(['Einen Moment, wir melden uns.']);
    expect(handoffOf(state())).toMatchObject({ source: 'payload', keyword: HANDOFF_PAYLOAD });
  });

  it('a redelivered request sends nothing twice and announces the same event', () => {
    const { config } = setup();
    const situation = { state: {}, config, accountTimeZone: 'UTC', now: T0, silenced: false, handled: false };
    const first = handoffRule({ ...situation, inbound: message(1, { text: 'human' }) });
    const model = new RegisterModel();
    model.applyWrites(first?.writes ?? []);
    const again = handoffRule({ ...situation, inbound: message(1, { text: 'human' }), state: mergeContactStates([...model.items.values()]), silenced: true });
    expect(first?.send).toEqual({
      intent: expect.objectContaining({ kind: 'reply', author: 'bot', content: { type: 'text', text: HANDOFF_ACKNOWLEDGEMENTS.en }, userId: PERSON.userId }) as unknown,
      idempotencyKey: `automation#handoff#${message(1, {}).eventKey}`,
    });
    expect(again?.send).toEqual(first?.send);
    expect(again?.busEvents).toEqual(first?.busEvents);
    expect(first?.busEvents).toEqual([
      {
        detailType: HANDOFF_REQUESTED,
        detail: {
          channel: 'messenger',
          accountId: PERSON.accountId,
          userId: PERSON.userId,
          contactPath: `/admin/contacts/messenger/${PERSON.accountId}/${PERSON.userId}`,
          source: 'keyword',
          keyword: 'HUMAN',
          at: new Date(T0 + 1000).toISOString(),
          until: new Date(T0 + 1000 + 24 * HOUR).toISOString(),
          eventKey: message(1, {}).eventKey,
        },
      },
    ]);
  });

  it('a late redelivery of a request an admin already ended changes nothing and says nothing', async () => {
    const { run, jobs, model, state, clock } = setup();
    await run([message(1, { text: 'agent' })]);
    model.applyWrites([resumeWrite(PERSON, 'admin#resume', T0 + HOUR)]);
    clock.now = T0 + 2 * HOUR;
    jobs.clear();
    await run([message(1, { text: 'agent' })]);
    expect(jobs.size).toBe(0);
    expect(handoffLive(handoffOf(state()), clock.now)).toBe(false);
  });

  it('while another app holds the thread, a request is recorded and announced but the holder answers', () => {
    const { config } = setup();
    const plan = handoffRule({ inbound: { ...message(1, { text: 'agent' }), standby: true }, state: {}, config, accountTimeZone: 'UTC', now: T0, silenced: true, handled: false });
    expect(plan?.send).toBeUndefined();
    expect(plan?.threadControl).toBeUndefined();
    expect(plan?.busEvents).toHaveLength(1);
  });

  it('a reply from another tool (an echo) pauses automation silently: no acknowledgement, no bus event', async () => {
    const { run, jobs, state, clock } = setup({ handoff: { timeoutHours: 2 } });
    await run([echo(1, T0)]);
    expect(jobs.size).toBe(0);
    expect(handoffOf(state())).toMatchObject({ active: true, source: 'echo', until: T0 + 2 * HOUR });
    await run([message(2, { text: 'STOP' })]);
    expect(jobs.size).toBe(0);
    clock.now = T0 + 2 * HOUR;
    await run([message(3, { text: 'START' }, clock.now)]);
    expect([...jobs.values()].map((i) => i.content)).toEqual([{ type: 'text', text: CONFIRMATIONS.en.start }]);
    const plan = handoffRule({ inbound: echo(4, T0), state: {}, config: DEFAULT_AUTOMATION_CONFIG, accountTimeZone: 'UTC', now: T0, silenced: true, handled: false });
    expect(plan).toMatchObject({ handled: true });
    expect(plan?.busEvents).toBeUndefined();
  });
});

describe('silence', () => {
  it('holds for a live handoff and for an echo, and lifts at the handoff’s end', () => {
    const state = { handoffOrder: 'x', handoffActive: true, handoffUntil: T0 + HOUR };
    expect(silencedFor(state, 'whatsapp', {}, T0)).toBe(true);
    expect(silencedFor(state, 'whatsapp', {}, T0 + HOUR)).toBe(false);
    expect(silencedFor({ ...state, handoffActive: false }, 'whatsapp', {}, T0)).toBe(false);
    expect(silencedFor({}, 'whatsapp', { kind: 'echo' }, T0)).toBe(true);
    expect(silencedFor({}, 'whatsapp', {}, T0)).toBe(false);
  });
});

describe('what the webhook hands off of echoes', () => {
  const base = { type: 'echo', occurredAt: T0, contact: PERSON, messageId: 'm_1' } as const;
  const handedOff = (event: Omit<EchoEvent, 'eventKey'>) => automationInbound([{ ...event, eventKey: 'messenger#1#echo#m_1' }], () => true);

  it('hands off a reply from another tool as an echo, with no text', () => {
    expect(handedOff({ ...base, appId: '263902037430900' })).toEqual([{ kind: 'echo', eventKey: 'messenger#1#echo#m_1', occurredAt: T0, contact: PERSON }]);
    expect(handedOff({ ...base, contact: { ...PERSON, channel: 'whatsapp' }, origin: 'business_app' })).toHaveLength(1);
  });

  it('never afterchat’s own sends, marketing messages, the thread holder’s echoes on standby, or Instagram’s', () => {
    expect(handedOff({ ...base, metadata: outboxIdFor('automation#handoff#x') })).toEqual([]);
    expect(handedOff({ ...base, origin: 'marketing_message' })).toEqual([]);
    expect(handedOff({ ...base, standby: true })).toEqual([]);
    // Instagram echoes name no app and carry no metadata: afterchat's own can't be told apart.
    expect(handedOff({ ...base, contact: { ...PERSON, channel: 'instagram' } })).toEqual([]);
  });
});
