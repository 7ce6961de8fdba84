/**
 * Interface under test: the opt-in request rule as the automation use case runs it (RULES in order,
 * an earlier rule's `handled` passed on, every plan's writes applied to the register model before
 * the next event), and the account configuration that switches it on.
 */
import { mergeContactStates } from '../../../../lambdas/adapters/dynamodb/contact-merge';
import type { AutomationInbound } from '../../../../lambdas/domain/automation/keyword-opt-out';
import { keywordOptOutOf } from '../../../../lambdas/domain/automation/keyword-opt-out';
import type { AutomatedSend, AutomationRuleName } from '../../../../lambdas/domain/automation/rule';
import { RULES } from '../../../../lambdas/domain/automation/rules';
import { CONSENT_CONFIRMATIONS } from '../../../../lambdas/domain/consent/consent-confirmations';
import { consentsOf } from '../../../../lambdas/domain/consent/consent-record';
import type { ContactRef } from '../../../../lambdas/domain/events';
import { type AutomationConfig, type AutomationConfigInput, AutomationConfigSchema, DEFAULT_AUTOMATION_CONFIG } from '../../../../lambdas/schemas/automation-config';
import { loadEvent } from '../../../helpers/events';
import { RegisterModel } from '../../../helpers/register-model';

const PAGE_PERSON: ContactRef = { channel: 'messenger', accountId: '1234567890123456', userId: '6543210987654321' };
const WA_PERSON: ContactRef = { channel: 'whatsapp', accountId: '106540352242922', userId: '4915112345678' };
const T0 = Date.parse('2026-12-09T09:00:00Z');
const PROMPT = 'Can we send you our offers on WhatsApp? Tap "Yes, send me offers".';

const config = (over: AutomationConfigInput = {}): AutomationConfig =>
  AutomationConfigSchema.parse({
    optInRequest: {
      messenger: { title: 'Weekly deals', payload: 'topic:deals', keywords: ['DEALS', 'angebote'], afterEvents: ['order.shipped'] },
      whatsapp: { topic: 'offers', promptText: PROMPT, keywords: ['JA', 'YES'] },
    },
    ...over,
  });

interface Sent extends AutomatedSend {
  rule: AutomationRuleName;
}

/** One person's conversation: each event runs RULES against the stored state, as run-automation does. */
const conversation = (person: ContactRef, settings: { config?: AutomationConfig; attributes?: Record<string, string> } = {}) => {
  const model = new RegisterModel();
  const state = () => ({ ...mergeContactStates([...model.items.values()]), profileAttributes: settings.attributes ?? {} });
  const deliver = (event: AutomationInbound, silenced = false): Sent[] => {
    const sent: Sent[] = [];
    let handled = false;
    for (const rule of RULES) {
      const plan = rule({ inbound: event, state: state(), config: settings.config ?? config(), accountTimeZone: 'Europe/Berlin', now: event.occurredAt, silenced, handled });
      if (!plan) continue;
      model.applyWrites(plan.writes);
      if (plan.send) sent.push({ rule: plan.rule, ...plan.send });
      handled ||= plan.handled;
    }
    return sent;
  };
  const event = (n: number, said: { text?: string; payload?: string; kind?: 'echo' }): AutomationInbound => ({
    eventKey: `${person.channel}#${person.accountId}#m#${n}`,
    occurredAt: T0 + n * 60_000,
    contact: person,
    ...said,
  });
  return { deliver, event, state };
};

const optInRequests = (sent: readonly Sent[]) => sent.filter((s) => s.rule === 'opt_in_request');

describe('Messenger opt-in request by keyword', () => {
  it('answers the keyword with the marketing-message opt-in request, as a bot, keyed by the inbound event', () => {
    const { deliver, event } = conversation(PAGE_PERSON);
    const inbound = event(1, { text: 'DEALS' });
    expect(optInRequests(deliver(inbound))).toEqual([
      {
        rule: 'opt_in_request',
        idempotencyKey: `automation#opt_in_request#${inbound.eventKey}`,
        intent: {
          ...PAGE_PERSON,
          kind: 'opt_in_request',
          author: 'bot',
          content: { type: 'opt_in_request', title: 'Weekly deals', payload: 'topic:deals' },
        },
      },
    ]);
  });

  it('matches the whole message as STOP does (case, accents, trailing punctuation), never inside a sentence', () => {
    const { deliver, event } = conversation(PAGE_PERSON);
    expect(optInRequests(deliver(event(1, { text: ' deals! ' })))).toHaveLength(1);
    expect(optInRequests(deliver(event(2, { text: 'Angebote.' })))).toHaveLength(1);
    expect(optInRequests(deliver(event(3, { text: 'any deals today?' })))).toEqual([]);
  });

  it('asks again on every keyword: the policy engine, not the rule, refuses a request too soon', () => {
    const { deliver, event } = conversation(PAGE_PERSON);
    const keys = [1, 2].flatMap((n) => optInRequests(deliver(event(n, { text: 'DEALS' }))).map((s) => s.idempotencyKey));
    expect(keys).toEqual([`automation#opt_in_request#messenger#${PAGE_PERSON.accountId}#m#1`, `automation#opt_in_request#messenger#${PAGE_PERSON.accountId}#m#2`]);
  });

  it('is off for an account that did not configure it, and quiet while someone else holds the conversation', () => {
    expect(optInRequests(conversation(PAGE_PERSON, { config: DEFAULT_AUTOMATION_CONFIG }).deliver(conversation(PAGE_PERSON).event(1, { text: 'DEALS' })))).toEqual([]);
    const { deliver, event } = conversation(PAGE_PERSON);
    expect(deliver(event(1, { text: 'DEALS' }), true)).toEqual([]);
  });

  it('leaves STOP to the keyword rule even when an account lists it as an opt-in word', () => {
    const { deliver, event } = conversation(PAGE_PERSON, {
      config: config({ optInRequest: { messenger: { title: 'Weekly deals', payload: 'topic:deals', keywords: ['STOP'] } } }),
    });
    expect(deliver(event(1, { text: 'STOP' })).map((s) => s.rule)).toEqual(['keyword']);
  });
});

describe('WhatsApp consent capture', () => {
  it('records the consent button with its provenance (the prompt shown, the event time) and confirms once', () => {
    const { deliver, event, state } = conversation(WA_PERSON);
    const tap = event(1, { payload: 'AFTERCHAT_CONSENT' });
    const sent = deliver(tap);
    expect(consentsOf(state())).toEqual([
      { topic: 'offers', basis: 'express', source: 'whatsapp_button', capturedAt: tap.occurredAt, textShown: PROMPT, answer: 'AFTERCHAT_CONSENT', eventKey: tap.eventKey },
    ]);
    expect(sent).toEqual([
      {
        rule: 'opt_in_request',
        idempotencyKey: `automation#opt_in_request#${tap.eventKey}`,
        intent: { ...WA_PERSON, kind: 'reply', author: 'bot', content: { type: 'text', text: CONSENT_CONFIRMATIONS.en } },
      },
    ]);
    // A redelivery of the same event confirms again under the same key (the outbox keeps one job).
    expect(deliver(tap).map((s) => s.idempotencyKey)).toEqual([`automation#opt_in_request#${tap.eventKey}`]);
    // A second tap later changes nothing the person sees: no second confirmation.
    expect(deliver(event(2, { payload: 'AFTERCHAT_CONSENT' }))).toEqual([]);
  });

  it("records a consent keyword as whatsapp_keyword and confirms in the contact's language", () => {
    const { deliver, event, state } = conversation(WA_PERSON, { attributes: { locale: 'de_DE' } });
    const sent = deliver(event(1, { text: 'Ja!' }));
    expect(consentsOf(state())).toMatchObject([{ source: 'whatsapp_keyword', answer: 'Ja!', textShown: PROMPT }]);
    expect(sent.map((s) => s.intent.content)).toEqual([{ type: 'text', text: CONSENT_CONFIRMATIONS.de }]);
  });

  it('a later consent clears an earlier STOP; a STOP after the consent wins; a late-processed earlier STOP does not undo it', () => {
    const first = conversation(WA_PERSON);
    first.deliver(first.event(1, { text: 'STOP' }));
    expect(first.deliver(first.event(2, { text: 'YES' }))).toHaveLength(1);
    expect(keywordOptOutOf(first.state())?.optedOut).toBe(false);
    first.deliver(first.event(3, { text: 'STOP' }));
    expect(keywordOptOutOf(first.state())?.optedOut).toBe(true);

    const reordered = conversation(WA_PERSON);
    reordered.deliver(reordered.event(2, { text: 'YES' }));
    reordered.deliver(reordered.event(1, { text: 'STOP' }));
    expect(keywordOptOutOf(reordered.state())?.optedOut).toBe(false);
    expect(consentsOf(reordered.state())).toHaveLength(1);
  });

  it("ignores the business's own message (an echo) and other words", () => {
    const { deliver, event, state } = conversation(WA_PERSON);
    deliver(event(1, { text: 'JA', kind: 'echo' }));
    deliver(event(2, { text: 'ja bitte, aber später' }));
    expect(consentsOf(state())).toEqual([]);
  });

  it('records the consent but leaves the confirmation to whoever holds the conversation', () => {
    const { deliver, event, state } = conversation(WA_PERSON);
    expect(deliver(event(1, { payload: 'AFTERCHAT_CONSENT' }), true)).toEqual([]);
    expect(consentsOf(state())).toHaveLength(1);
  });
});

describe('opt-in configuration guardrails', () => {
  const parse = (optInRequest: unknown) => AutomationConfigSchema.safeParse({ optInRequest });
  const messenger = (over: Record<string, unknown>) => ({ messenger: { title: 'Weekly deals', payload: 'topic:deals', keywords: ['DEALS'], ...over } });

  it('events/admin/automation-opt-in.json is a whole opt-in section: the schema neither drops nor fills in anything', () => {
    const sample = loadEvent<{ optInRequest: unknown }>('admin/automation-opt-in.json');
    expect(AutomationConfigSchema.parse(sample).optInRequest).toEqual(sample.optInRequest);
  });

  it('is absent (off) for an account with no configuration', () => {
    expect(DEFAULT_AUTOMATION_CONFIG.optInRequest).toBeUndefined();
  });

  it.each(['10% off when you subscribe', 'Get a free gift', 'Subscribe and win', 'Gutschein für Abonnenten', 'Cupón de bienvenida'])('refuses a title offering a reward: %s', (title) => {
    expect(parse(messenger({ title })).success).toBe(false);
  });

  it('refuses a consent prompt offering a reward, and a reward field', () => {
    expect(parse({ whatsapp: { topic: 'offers', promptText: 'Say YES and get a coupon' } }).success).toBe(false);
    expect(parse(messenger({ reward: '10% off' })).success).toBe(false);
  });

  it('accepts a title describing the content, and needs a keyword or business event to ask after', () => {
    expect(parse(messenger({ title: 'New arrivals, every week' })).success).toBe(true);
    expect(parse(messenger({ keywords: [] })).success).toBe(false);
    expect(parse(messenger({ keywords: [], afterEvents: ['order.shipped'] })).success).toBe(true);
  });
});
