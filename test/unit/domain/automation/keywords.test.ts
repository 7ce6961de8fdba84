/** Interface under test: the STOP/START keyword table and matcher, and what a keyword writes and sends. */
import fc from 'fast-check';
import { CONFIRMATIONS } from '../../../../lambdas/domain/automation/confirmations';
import { type AutomationInbound, keywordOptOutOf, planKeyword } from '../../../../lambdas/domain/automation/keyword-opt-out';
import { KEYWORD_PAYLOADS, KEYWORDS, type KeywordLanguage, matchKeyword } from '../../../../lambdas/domain/automation/keywords';
import type { ContactRef } from '../../../../lambdas/domain/events';
import { decide } from '../../../../lambdas/domain/send/policy-engine';
import type { RegisterWrite } from '../../../../lambdas/domain/state-writes';
import { contactPolicyState } from '../../../../lambdas/domain/send/policy-inputs';
import { mergeContactStates } from '../../../../lambdas/adapters/dynamodb/contact-merge';
import { RegisterModel } from '../../../helpers/register-model';

const text = (t: string) => matchKeyword({ text: t });

describe('keyword matching', () => {
  it.each([
    ['STOP', 'stop'],
    ['Stop.', 'stop'],
    [' stopp ', 'stop'],
    ['stop!!', 'stop'],
    ['Unsubscribe', 'stop'],
    ['afmelden', 'stop'],
    ['ABMELDEN', 'stop'],
    ['Arrêt', 'stop'],
    ['arret', 'stop'],
    ['¡Baja!', 'stop'],
    ['annulla', 'stop'],
    ['Sair', 'stop'],
    ['START', 'start'],
    ['Aanmelden', 'start'],
    ['anmelden.', 'start'],
    ['démarrer', 'start'],
  ])('the whole message %j is a %s keyword', (message, action) => {
    expect(text(message)).toMatchObject({ action, via: 'text' });
  });

  it.each(["please don't stop sending", 'stop sending me this', 'st op', 'STOPPED', 'nonstop', 'I want to unsubscribe', 'start?? what', ''])(
    'never inside a sentence or another word: %j',
    (message) => {
      expect(text(message)).toBeUndefined();
    },
  );

  it('answers in the language of the word, English for a word several languages share', () => {
    expect(text('stopp')).toMatchObject({ language: 'de', keyword: 'STOPP' });
    expect(text('afmelden')).toMatchObject({ language: 'nl' });
    expect(text('baja')).toMatchObject({ language: 'es' });
    expect(text('stop')).toMatchObject({ language: 'en' });
  });

  it('matches every word of the table in any case, with accents dropped and trailing punctuation, and confirms in its language', () => {
    for (const [language, actions] of Object.entries(KEYWORDS) as [KeywordLanguage, (typeof KEYWORDS)[KeywordLanguage]][]) {
      for (const action of ['stop', 'start'] as const) {
        for (const word of actions[action]) {
          const plain = word.normalize('NFD').replace(/\p{M}/gu, '');
          for (const variant of [word, word.toLowerCase(), `  ${plain.toLowerCase()}?! `]) expect(text(variant)).toMatchObject({ action });
        }
        expect(CONFIRMATIONS[language][action].length).toBeGreaterThan(0);
      }
    }
  });

  it('a button or quick-reply payload does the same; any other payload nothing', () => {
    expect(matchKeyword({ payload: KEYWORD_PAYLOADS.stop })).toMatchObject({ action: 'stop', via: 'payload' });
    expect(matchKeyword({ payload: KEYWORD_PAYLOADS.start })).toMatchObject({ action: 'start', via: 'payload' });
    expect(matchKeyword({ payload: 'GET_STARTED' })).toBeUndefined();
  });
});

const PERSON: ContactRef = { channel: 'whatsapp', accountId: '106540352242922', userId: '4915112345678' };
const T0 = Date.UTC(2026, 11, 6, 10);
const inbound = (n: number, message: string, over: Partial<AutomationInbound> = {}): AutomationInbound => ({
  eventKey: `whatsapp#${PERSON.accountId}#wamid#${n}`,
  occurredAt: T0 + n * 1000,
  contact: PERSON,
  text: message,
  ...over,
});

/** Plans and applies events one by one, as the automation Lambda does: what each confirmed. */
const run = (model: RegisterModel, events: readonly AutomationInbound[]) =>
  events.map((event) => {
    const plan = planKeyword(event, keywordOptOutOf(contactState(model)));
    if (plan) model.applyWrites([plan.write]);
    return plan?.confirmation;
  });

const contactState = (model: RegisterModel): Record<string, unknown> => mergeContactStates([...model.items.values()]);

describe('a keyword plan', () => {
  it('STOP opts out and confirms once, with an outbox key from the event; a bot reply inside the window', () => {
    const model = new RegisterModel();
    const [confirmation] = run(model, [inbound(1, 'STOP')]);
    expect(confirmation).toEqual({
      idempotencyKey: `automation#keyword#whatsapp#${PERSON.accountId}#wamid#1`,
      intent: { ...PERSON, kind: 'reply', author: 'bot', content: { type: 'text', text: CONFIRMATIONS.en.stop } },
    });
    expect(keywordOptOutOf(contactState(model))).toMatchObject({ optedOut: true, keyword: 'STOP', eventKey: inbound(1, '').eventKey, at: T0 + 1000 });
  });

  it('a redelivered STOP plans the same confirmation under the same key; another STOP confirms nothing', () => {
    const model = new RegisterModel();
    const [first, again, second] = run(model, [inbound(1, 'STOP'), inbound(1, 'STOP'), inbound(2, 'stop.')]);
    expect(again).toEqual(first);
    expect(second).toBeUndefined();
  });

  it('START clears the opt-out and confirms; START without a STOP changes nothing and says nothing', () => {
    const model = new RegisterModel();
    const [, started] = run(model, [inbound(1, 'stopp'), inbound(2, 'anmelden')]);
    expect(started?.intent.content).toEqual({ type: 'text', text: CONFIRMATIONS.de.start });
    expect(keywordOptOutOf(contactState(model))?.optedOut).toBe(false);
    expect(run(new RegisterModel(), [inbound(3, 'START')])).toEqual([undefined]);
  });

  it('on standby the opt-out is recorded and the thread owner answers', () => {
    const model = new RegisterModel();
    expect(run(model, [inbound(1, 'STOP', { standby: true })])).toEqual([undefined]);
    expect(keywordOptOutOf(contactState(model))?.optedOut).toBe(true);
  });

  it('an older keyword delivered after a newer one changes nothing and confirms nothing', () => {
    const model = new RegisterModel();
    const [stopped, late] = run(model, [inbound(2, 'STOP'), inbound(1, 'START')]);
    expect(stopped).toBeDefined();
    expect(late).toBeUndefined();
    expect(keywordOptOutOf(contactState(model))?.optedOut).toBe(true);
  });

  it('converges on the latest keyword by event order, whatever the order and duplicates', () => {
    const events = [inbound(1, 'STOP'), inbound(2, 'START'), inbound(3, 'baja'), inbound(4, 'hello'), inbound(5, 'ALTA')];
    const writesOf = (e: AutomationInbound): RegisterWrite[] => {
      const plan = planKeyword(e, undefined);
      return plan ? [plan.write] : [];
    };
    const reference = new RegisterModel();
    reference.applyWrites(events.flatMap(writesOf));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...events), { minLength: 1, maxLength: 12 }), fc.boolean(), (delivered, all) => {
        const model = new RegisterModel();
        const sequence = all ? [...delivered, ...events] : delivered;
        model.applyWrites(sequence.flatMap(writesOf));
        const latest = [...new Set(sequence)].filter((e) => planKeyword(e, undefined)).sort((a, b) => a.occurredAt - b.occurredAt).at(-1);
        expect(keywordOptOutOf(contactState(model))?.eventKey).toBe(latest?.eventKey);
        if (all) expect(model.snapshot()).toEqual(reference.snapshot());
      }),
    );
  });
});

describe('the policy engine and the keyword opt-out', () => {
  const NOW = T0 + 60_000;
  const promo = { ...PERSON, kind: 'marketing' as const, author: 'bot' as const, content: { type: 'template' as const, name: 'spring_sale', language: 'en' } };
  const account = { channel: 'whatsapp' as const, accountId: PERSON.accountId, templates: { 'spring_sale#en': { status: 'APPROVED', category: 'MARKETING' } } };
  const decision = (model: RegisterModel) => decide(promo, contactPolicyState({ ...PERSON, state: contactState(model), optIns: [] }), account, NOW);

  it("refuses marketing with the keyword named, and Meta's later resume does not undo it; START does", () => {
    const model = new RegisterModel();
    run(model, [inbound(1, 'Stop.')]);
    model.apply({ type: 'marketing_preference', eventKey: 'whatsapp#pref#2', occurredAt: T0 + 2000, contact: PERSON, value: 'resume', category: 'marketing_messages' });
    expect(decision(model)).toMatchObject({ outcome: 'refuse', reason: 'marketing_opted_out', detail: expect.stringContaining('"STOP"') as string });
    run(model, [inbound(3, 'START')]);
    expect(decision(model)).toMatchObject({ outcome: 'allow' });
  });

  it('on Messenger it holds every marketing token too', () => {
    const page: ContactRef = { channel: 'messenger', accountId: '111', userId: 'psid-1' };
    const model = new RegisterModel();
    run(model, [{ ...inbound(1, 'STOP'), contact: page }]);
    const contact = contactPolicyState({ ...page, state: contactState(model), optIns: [{ token: 'tok', topic: 'deals', status: 'active' }] });
    const send = { ...page, kind: 'marketing' as const, author: 'bot' as const, topic: 'deals', content: { type: 'text' as const, text: 'Sale' } };
    expect(decide(send, contact, { channel: 'messenger', accountId: '111', templates: {}, marketingMessagesOnboarded: true }, NOW)).toMatchObject({
      outcome: 'refuse',
      reason: 'marketing_opted_out',
    });
  });
});
