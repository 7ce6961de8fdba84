/**
 * Interface under test: what status webhooks write (stateChanges) applied with the DynamoDB state
 * store's register rules (registerUpdate's conditions, judged by outcomeOn), modelled in memory so
 * fast-check can try thousands of orders. The integration suite checks the same on dynalite.
 */
import fc from 'fast-check';
import type { MessageStatusEvent, MessageStatusValue, WebhookEvent } from '../../../lambdas/domain/events';
import { callbackDataFor } from '../../../lambdas/domain/send/callback-data';
import { outboxIdFor } from '../../../lambdas/domain/send/outbox-id';
import { stateChanges } from '../../../lambdas/domain/state-changes';
import { normaliseWebhookBody } from '../../../lambdas/normalise/webhook-body';
import { outcomeOn, registerUpdate } from '../../../lambdas/adapters/dynamodb/update-expression';
import { RegisterModel } from '../../helpers/register-model';
import { type SentMessage, statusBody } from '../../helpers/whatsapp-status';

const WA = '4915112345678';
const BSUID = 'DE.88201734659910273645';
/**
 * Message i: afterchat's own (its outbox id as callback data), tagged with the recipient's ids when
 * `i % 3 === 1` (the sender had them stored), or another app's on the number (`i % 3 === 2`).
 */
const message = (i: number): SentMessage => {
  const outboxId = outboxIdFor(`campaign#occ#${i}`);
  const callbackData = [outboxId, callbackDataFor(outboxId, { waId: WA, bsuid: BSUID }), `their-app:job-${i}`][i % 3];
  return { phoneNumberId: '109876543210987', wabaId: '102290129340398', waId: WA, bsuid: BSUID, wamid: `wamid.test.${i}`, outboxId, callbackData, sentAt: 1_779_003_000 + i * 10 };
};

const statusEvent = (m: SentMessage, status: MessageStatusValue, at: number, options: { errorCode?: number; bsuidOnly?: boolean } = {}): MessageStatusEvent => {
  const [event] = normaliseWebhookBody(statusBody(m, status, at, options)).events;
  if (event?.type !== 'message_status') throw new Error('not a status');
  return event;
};

const registersOf = (event: WebhookEvent) => stateChanges(event).map((w) => `${w.target.entity}.${w.register}`);

describe('status writes', () => {
  const ours = message(0);
  const tagged = message(1);
  const theirs = message(2);

  it("a status of afterchat's own message writes its outbox record only, all of it in one item", () => {
    expect(registersOf(statusEvent(ours, 'delivered', ours.sentAt + 2)).sort()).toEqual(['outbox.delivery', 'outbox.messageId', 'outbox.pricing']);
    expect(registersOf(statusEvent(ours, 'read', ours.sentAt + 60)).sort()).toEqual(['outbox.delivery', 'outbox.messageId']);
    expect(registersOf(statusEvent(ours, 'failed', ours.sentAt + 1)).filter((r) => !r.startsWith('contact.')).sort()).toEqual(['outbox.delivery', 'outbox.failure', 'outbox.messageId']);
  });

  it("a status of another app's message writes the message item, as before", () => {
    expect(registersOf(statusEvent(theirs, 'delivered', theirs.sentAt + 2)).sort()).toEqual(['message.callback', 'message.pricing', 'message.recipient', 'message.status']);
    expect(registersOf(statusEvent(theirs, 'read', theirs.sentAt + 60)).sort()).toEqual(['message.callback', 'message.recipient', 'message.status']);
  });

  it("learns the recipient's ids (and the BSUID's link) from sent and failed, not from every status, nor when the sender had them", () => {
    for (const m of [ours, theirs]) {
      expect(registersOf(statusEvent(m, 'sent', m.sentAt))).toEqual(expect.arrayContaining(['contact.waId', 'contact.bsuid', 'contact.link']));
      expect(registersOf(statusEvent(m, 'failed', m.sentAt + 1))).toEqual(expect.arrayContaining(['contact.waId', 'contact.bsuid', 'contact.link']));
    }
    expect(registersOf(statusEvent(tagged, 'sent', tagged.sentAt))).toEqual(['outbox.delivery', 'outbox.messageId']);
    expect(registersOf(statusEvent(tagged, 'failed', tagged.sentAt + 1)).filter((r) => r.startsWith('contact.') && /waId|bsuid|link/.test(r))).toEqual([]);
  });

  it('keeps who the message went to and its callback data as least registers, and ranks pricing with its status', () => {
    const writes = stateChanges(statusEvent(theirs, 'delivered', theirs.sentAt + 2));
    expect(writes.find((w) => w.register === 'recipient')).toMatchObject({ wins: 'least', fields: { channel: 'whatsapp', accountId: theirs.phoneNumberId, userId: theirs.waId } });
    expect(writes.find((w) => w.register === 'callback')).toMatchObject({ wins: 'least', fields: { callbackData: theirs.callbackData } });
    expect(writes.find((w) => w.register === 'pricing')).toMatchObject({ wins: 'later', rank: 3 });
    // On the outbox record the same: Meta's message id kept least, pricing ranked with its status.
    const onRecord = stateChanges(statusEvent(ours, 'delivered', ours.sentAt + 2));
    expect(onRecord.find((w) => w.register === 'messageId')).toMatchObject({ wins: 'least', fields: { messageId: ours.wamid } });
    expect(onRecord.find((w) => w.register === 'pricing')).toMatchObject({ wins: 'later', rank: 3 });
    expect(onRecord.find((w) => w.register === 'delivery')).toMatchObject({ wins: 'earlier', rank: 3 });
  });
});

describe('registerUpdate and outcomeOn', () => {
  const m = message(2);
  const messageWrites = (event: WebhookEvent) => stateChanges(event).filter((w) => w.target.entity === 'message');

  it('builds a least register as "stored value ≥ written value", field by field, storing no order', () => {
    const [recipient] = messageWrites(statusEvent(m, 'read', m.sentAt + 60)).filter((w) => w.register === 'recipient');
    const update = registerUpdate([recipient!], { pk: 'M#x', sk: 'STATUS' }, {});
    expect(update.ConditionExpression).toBe(
      '(attribute_not_exists(#l0_0) OR #l0_0 > :l0_0 OR (#l0_0 = :l0_0 AND (#l0_1 > :l0_1 OR (#l0_1 = :l0_1 AND (#l0_2 >= :l0_2)))))',
    );
    expect(Object.values(update.ExpressionAttributeNames)).not.toContain('recipientOrder');
  });

  it('judges a repeat of a least value "same", a smaller one "wins", a greater one "loses"', () => {
    const [callback] = messageWrites(statusEvent(m, 'read', m.sentAt + 60)).filter((w) => w.register === 'callback');
    const stored = m.callbackData as string;
    expect(outcomeOn(callback!, { callbackData: stored })).toBe('same');
    expect(outcomeOn(callback!, { callbackData: `${stored}z` })).toBe('wins');
    expect(outcomeOn(callback!, { callbackData: 'a' })).toBe('loses');
    expect(outcomeOn(callback!, undefined)).toBe('wins');
  });

  it('compares strings by their UTF-8 bytes, as DynamoDB does', () => {
    // In UTF-16 code units U+FF5E (FF5E) sorts after U+1F600 (D83D DE00); in UTF-8 bytes (EF.. < F0..) before it.
    const write = { target: { entity: 'message', messageId: 'x' }, register: 'r', order: '\u{1F600}', wins: 'later', fields: {} } as const;
    expect(outcomeOn(write, { rOrder: '\uFF5E' })).toBe('wins');
  });
});

describe('status webhooks under the register rules', () => {
  type Spec = { m: number; status: MessageStatusValue; offset: number; errorCode?: number; bsuidOnly?: boolean };
  const specArb: fc.Arbitrary<Spec> = fc.record({
    // afterchat's own message, its callback data tagged or not, and another app's.
    m: fc.integer({ min: 0, max: 2 }),
    status: fc.constantFrom<MessageStatusValue>('sent', 'delivered', 'read', 'played', 'failed'),
    // Seconds after the message's `sent`: equal times are common (Meta stamps whole seconds).
    offset: fc.integer({ min: 0, max: 3 }),
    errorCode: fc.constantFrom(131026, 131049),
    bsuidOnly: fc.boolean(),
  });
  const eventOf = (s: Spec) => {
    const msg = message(s.m);
    return statusEvent(msg, s.status, msg.sentAt + s.offset, { errorCode: s.errorCode, bsuidOnly: s.bsuidOnly });
  };
  const stateAfter = (events: readonly WebhookEvent[]) => {
    const model = new RegisterModel();
    for (const e of events) model.apply(e);
    return model;
  };

  /** Distinct statuses, then the order they arrive in: each once at least, some several times. */
  const deliveries = fc
    .uniqueArray(specArb, { minLength: 1, maxLength: 8, selector: (s) => `${s.m}|${s.status}|${s.errorCode}` })
    .chain((specs) =>
      fc
        .array(fc.nat({ max: specs.length - 1 }), { maxLength: 12 })
        .chain((repeats) => fc.tuple(fc.constant(specs), fc.shuffledSubarray([...specs.keys(), ...repeats], { minLength: specs.length + repeats.length }))),
    );

  it('converge: any statuses, shuffled and repeated, leave the same items', () => {
    fc.assert(
      fc.property(deliveries, ([specs, arrival]) => {
        const events = specs.map(eventOf);
        const expected = stateAfter(events).snapshot();
        expect(stateAfter(arrival.map((i) => events[i] as WebhookEvent)).snapshot()).toEqual(expected);
        expect(stateAfter([...events].reverse()).snapshot()).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('never refuses a status arriving in its natural order (sent, delivered, read, played), equal seconds included', () => {
    fc.assert(
      fc.property(
        fc.subarray(['sent', 'delivered', 'read', 'played'] as const, { minLength: 1 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        fc.integer({ min: 6, max: 8 }),
        (statuses, gaps, bsuidOnly, m) => {
          const model = new RegisterModel();
          const msg = message(m);
          let at = msg.sentAt;
          statuses.forEach((status, i) => {
            at += gaps[i] ?? 0;
            model.apply(statusEvent(msg, status, at, { bsuidOnly }));
          });
          expect(model.refusals).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a duplicate, which then writes nothing', () => {
    const msg = message(3);
    const model = new RegisterModel();
    const delivered = statusEvent(msg, 'delivered', msg.sentAt + 2);
    model.apply(statusEvent(msg, 'sent', msg.sentAt));
    model.apply(delivered);
    const before = model.snapshot();
    model.apply(delivered);
    expect(model.refusals).toBeGreaterThan(0);
    expect(model.snapshot()).toEqual(before);
  });
});
