/**
 * Interface under test: the greeting, away and default-reply rules as the automation use case runs
 * them (RULES in their order, silence as silence.ts reads it, an earlier rule's `handled` passed on,
 * every plan's writes applied to the register model before the next event), with injected time.
 */
import { mergeContactStates } from '../../../../lambdas/adapters/dynamodb/contact-merge';
import type { AutomationInbound } from '../../../../lambdas/domain/automation/keyword-opt-out';
import type { AutomatedSend, AutomationRuleName } from '../../../../lambdas/domain/automation/rule';
import { RULES } from '../../../../lambdas/domain/automation/rules';
import { silencedFor } from '../../../../lambdas/domain/automation/silence';
import type { ContactRef } from '../../../../lambdas/domain/events';
import { type AutomationConfig, type AutomationConfigInput, AutomationConfigSchema } from '../../../../lambdas/schemas/automation-config';
import { RegisterModel } from '../../../helpers/register-model';

const PERSON: ContactRef = { channel: 'whatsapp', accountId: '106540352242922', userId: '4915112345678' };
const HOUR = 3_600_000;
const OFFICE = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ from: '09:00', to: '18:00' }]]));
const TEXTS = {
  greeting: { en: 'Hi {firstName}, welcome to Shop!', de: 'Hallo {firstName}, willkommen!' },
  away: { en: "We're closed, {firstName}. We answer from 09:00." },
  defaultReply: { en: 'Thanks, we will get back to you.' },
};
const config = (over: AutomationConfigInput = {}): AutomationConfig =>
  AutomationConfigSchema.parse({
    businessHours: { weekly: OFFICE },
    greeting: { texts: TEXTS.greeting },
    away: { texts: TEXTS.away },
    defaultReply: { texts: TEXTS.defaultReply },
    ...over,
  });

/** Wednesday 2026-12-09 10:00 in Berlin: open. */
const WED_OPEN = Date.parse('2026-12-09T09:00:00Z');
/** Saturday 2026-12-12 22:00 in Berlin: closed since Friday 18:00. */
const SAT_NIGHT = Date.parse('2026-12-12T21:00:00Z');

interface Sent extends AutomatedSend {
  rule: AutomationRuleName;
}

/** One person's conversation: each event runs the rules against the stored state, as run-automation does. */
const conversation = (settings: { config?: AutomationConfig; attributes?: Record<string, string> } = {}) => {
  const model = new RegisterModel();
  let n = 0;
  /** `heldByHuman`: someone else answers the person now, whatever the registers say (another app holds the thread). */
  const deliver = (event: AutomationInbound, now: number, heldByHuman = false): Sent[] => {
    const state = { ...mergeContactStates([...model.items.values()]), profileAttributes: settings.attributes ?? {} };
    const silenced = heldByHuman || silencedFor(state, event.contact.channel, event, now);
    const sent: Sent[] = [];
    let handled = false;
    for (const rule of RULES) {
      const plan = rule({ inbound: event, state, config: settings.config ?? config(), accountTimeZone: 'Europe/Berlin', now, silenced, handled });
      if (!plan) continue;
      model.applyWrites(plan.writes);
      if (plan.send) sent.push({ rule: plan.rule, ...plan.send });
      handled ||= plan.handled;
    }
    return sent;
  };
  /** A new message from the person at `at`, delivered at once. */
  const say = (at: number, text = 'hello', heldByHuman = false) => {
    n += 1;
    const event: AutomationInbound = { eventKey: `whatsapp#${PERSON.accountId}#wamid#${n}`, occurredAt: at, contact: PERSON, text };
    return { event, sent: deliver(event, at, heldByHuman) };
  };
  return { say, deliver, model };
};

const rules = (sent: readonly Sent[]) => sent.map((s) => s.rule);
const texts = (sent: readonly Sent[]) => sent.map((s) => (s.intent.content.type === 'text' ? s.intent.content.text : ''));

describe('greeting', () => {
  it("greets the first message ever with the contact's first name, as a bot reply keyed by the event", () => {
    const { say } = conversation({ attributes: { firstName: 'Anna' } });
    const { event, sent } = say(WED_OPEN);
    expect(sent).toEqual([
      {
        rule: 'greeting',
        idempotencyKey: `automation#greeting#${event.eventKey}`,
        intent: { ...PERSON, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hi Anna, welcome to Shop!' } },
      },
    ]);
  });

  it('greets once per conversation: not the next message, again after the quiet gap, measured from the last message', () => {
    const { say } = conversation({ config: config({ defaultReply: undefined }), attributes: { locale: 'de_DE' } });
    expect(texts(say(WED_OPEN).sent)).toEqual(['Hallo, willkommen!']);
    expect(say(WED_OPEN + HOUR).sent).toEqual([]);
    // 24 h after the first message, but only 23 h after the last: the same conversation.
    expect(say(WED_OPEN + 24 * HOUR).sent).toEqual([]);
    expect(rules(say(WED_OPEN + 48 * HOUR).sent)).toEqual(['greeting']);
  });

  it('the quiet gap is the account\'s', () => {
    const { say } = conversation({ config: config({ greeting: { quietGapHours: 2, texts: TEXTS.greeting }, defaultReply: undefined }) });
    expect(rules(say(WED_OPEN).sent)).toEqual(['greeting']);
    expect(say(WED_OPEN + HOUR).sent).toEqual([]);
    expect(rules(say(WED_OPEN + 3 * HOUR).sent)).toEqual(['greeting']);
  });

  it('a redelivered starter plans the same greeting under the same key, even after a later message; a redelivered later message nothing', () => {
    const { say, deliver } = conversation({ config: config({ defaultReply: undefined }) });
    const first = say(WED_OPEN);
    const second = say(WED_OPEN + HOUR);
    expect(deliver(first.event, WED_OPEN + 2 * HOUR)).toEqual(first.sent);
    expect(deliver(second.event, WED_OPEN + 2 * HOUR)).toEqual([]);
  });

  it('an older message Meta delivers after a newer one never starts a conversation', () => {
    const { say, deliver } = conversation({ config: config({ defaultReply: undefined }) });
    say(WED_OPEN);
    const late = { eventKey: `whatsapp#${PERSON.accountId}#wamid#late`, occurredAt: WED_OPEN + 10 * HOUR, contact: PERSON, text: 'hi' };
    expect(rules(say(WED_OPEN + 30 * HOUR).sent)).toEqual(['greeting']);
    expect(deliver(late, WED_OPEN + 31 * HOUR)).toEqual([]);
  });

  it('a conversation opened while a human holds it, or with a keyword, is not greeted later in the middle', () => {
    const silenced = conversation({ config: config({ defaultReply: undefined }) });
    expect(silenced.say(WED_OPEN, 'hello', true).sent).toEqual([]);
    expect(silenced.say(WED_OPEN + HOUR).sent).toEqual([]);

    const keyword = conversation({ config: config({ defaultReply: undefined }) });
    expect(rules(keyword.say(WED_OPEN, 'STOP').sent)).toEqual(['keyword']);
    expect(keyword.say(WED_OPEN + HOUR).sent).toEqual([]);
  });

  it("the business writing from another tool (an echo) neither starts nor continues the person's conversation", () => {
    const { say, deliver } = conversation({ config: config({ greeting: { quietGapHours: 48, texts: TEXTS.greeting }, defaultReply: undefined }) });
    const inboxReply: AutomationInbound = { kind: 'echo', eventKey: `whatsapp#${PERSON.accountId}#wamid#inbox`, occurredAt: WED_OPEN, contact: PERSON };
    expect(deliver(inboxReply, WED_OPEN)).toEqual([]);
    // 25 h later the pause the echo started is over, and this is the first message the person ever wrote.
    expect(rules(say(WED_OPEN + 25 * HOUR).sent)).toEqual(['greeting']);
  });

  it('off, or not configured: no greeting and nothing written', () => {
    for (const off of [config({ greeting: { enabled: false, texts: TEXTS.greeting }, defaultReply: undefined }), config({ greeting: undefined, defaultReply: undefined })]) {
      const { say, model } = conversation({ config: off });
      expect(say(WED_OPEN).sent).toEqual([]);
      expect(model.items.size).toBe(0);
    }
  });
});

describe('away message', () => {
  it('answers outside business hours only, once per closed period, instead of the greeting', () => {
    const { say } = conversation({ attributes: { firstName: 'Anna' } });
    const saturday = say(SAT_NIGHT);
    expect(saturday.sent).toEqual([
      {
        rule: 'away',
        idempotencyKey: `automation#away#${saturday.event.eventKey}`,
        intent: { ...PERSON, kind: 'reply', author: 'bot', content: { type: 'text', text: "We're closed, Anna. We answer from 09:00." } },
      },
    ]);
    // The rest of the weekend says nothing: no second away, no greeting, no default reply.
    expect(say(SAT_NIGHT + HOUR).sent).toEqual([]);
    expect(say(SAT_NIGHT + 30 * HOUR).sent).toEqual([]);
    // Monday 10:00: open, the same conversation (the last message was 6 h ago), so the default reply answers.
    expect(rules(say(Date.parse('2026-12-14T09:00:00Z')).sent)).toEqual(['default_reply']);
    // Monday 22:00: a new closed period.
    expect(rules(say(Date.parse('2026-12-14T21:00:00Z')).sent)).toEqual(['away']);
  });

  it('a redelivered event it answered plans the same message under the same key, even after a later message', () => {
    const { say, deliver } = conversation();
    const first = say(SAT_NIGHT);
    say(SAT_NIGHT + HOUR);
    expect(deliver(first.event, SAT_NIGHT + 2 * HOUR)).toEqual(first.sent);
  });

  it('hours changed within a closed period: a person told in it is not told again', () => {
    const settings = { config: config() };
    const { say } = conversation(settings);
    expect(rules(say(SAT_NIGHT).sent)).toEqual(['away']);
    // Friday now closes at 13:00: the period started earlier than the one the person was told about.
    settings.config = config({ businessHours: { weekly: { ...OFFICE, fri: [{ from: '09:00', to: '13:00' }] } } });
    expect(say(SAT_NIGHT + HOUR).sent).toEqual([]);
  });

  it('hours changed within a closed period so that it starts later: a person told in it is not told again', () => {
    const settings = { config: config() };
    const { say } = conversation(settings);
    expect(rules(say(SAT_NIGHT).sent)).toEqual(['away']);
    // Friday now closes at 20:00: the period began two hours after the one the person was told about.
    settings.config = config({ businessHours: { weekly: { ...OFFICE, fri: [{ from: '09:00', to: '20:00' }] } } });
    expect(say(SAT_NIGHT + HOUR).sent).toEqual([]);
  });

  it('a hand-off redelivered in a later closed period (redriven from the DLQ) keys its away message as before and leaves the new period its own', () => {
    const { say, deliver } = conversation();
    const saturday = say(SAT_NIGHT);
    const mondayNight = Date.parse('2026-12-14T21:00:00Z');
    expect(deliver(saturday.event, mondayNight)).toEqual(saturday.sent);
    expect(rules(say(mondayNight + HOUR / 2).sent)).toEqual(['away']);
  });

  it('no business hours means always open; silenced means quiet', () => {
    expect(rules(conversation({ config: config({ businessHours: undefined }) }).say(SAT_NIGHT).sent)).toEqual(['greeting']);
    const { say } = conversation();
    expect(say(SAT_NIGHT, 'hello', true).sent).toEqual([]);
    expect(rules(say(SAT_NIGHT + HOUR).sent)).toEqual(['away']);
  });

  it('a keyword outside hours is answered by its confirmation; the next message gets the away message', () => {
    const { say } = conversation();
    expect(rules(say(SAT_NIGHT, 'STOP').sent)).toEqual(['keyword']);
    expect(rules(say(SAT_NIGHT + HOUR).sent)).toEqual(['away']);
  });
});

describe('default reply', () => {
  it('answers what nothing else did, at most once per period', () => {
    const { say } = conversation({ config: config({ defaultReply: { periodHours: 4, texts: TEXTS.defaultReply } }) });
    expect(rules(say(WED_OPEN).sent)).toEqual(['greeting']);
    expect(texts(say(WED_OPEN + HOUR).sent)).toEqual(['Thanks, we will get back to you.']);
    expect(say(WED_OPEN + 2 * HOUR).sent).toEqual([]);
    expect(say(WED_OPEN + 4 * HOUR + HOUR - 1).sent).toEqual([]);
    expect(rules(say(WED_OPEN + 5 * HOUR).sent)).toEqual(['default_reply']);
  });

  it('a redelivery plans the same reply under the same key; an older message delivered late nothing', () => {
    const { say, deliver } = conversation({ config: config({ greeting: undefined }) });
    const first = say(WED_OPEN);
    expect(rules(first.sent)).toEqual(['default_reply']);
    expect(deliver(first.event, WED_OPEN + HOUR)).toEqual(first.sent);
    const older = { eventKey: `whatsapp#${PERSON.accountId}#wamid#older`, occurredAt: WED_OPEN - 30 * HOUR, contact: PERSON, text: 'hi' };
    expect(deliver(older, WED_OPEN + HOUR)).toEqual([]);
  });

  it('quiet when silenced or when a keyword answered', () => {
    const { say } = conversation({ config: config({ greeting: undefined }) });
    expect(say(WED_OPEN, 'hello', true).sent).toEqual([]);
    expect(rules(say(WED_OPEN + HOUR, 'STOP').sent)).toEqual(['keyword']);
    expect(rules(say(WED_OPEN + 2 * HOUR).sent)).toEqual(['default_reply']);
  });
});

describe('keywords in a conversation', () => {
  it("greets a new person whose first message is a START that changed nothing, and a STOP gets only its confirmation", () => {
    const { say } = conversation();
    expect(rules(say(WED_OPEN, 'Start').sent)).toEqual(['greeting']);
    expect(rules(say(WED_OPEN + HOUR, 'STOP').sent)).toEqual(['keyword']);
    expect(rules(say(WED_OPEN + 2 * HOUR, 'STOP').sent)).toEqual([]);
  });
});
