// Interface under test: normalisePageEntries, Messenger/Instagram webhook entries → normalised events.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NormalisedBatch, WebhookEvent } from '../../../lambdas/domain/events';
import { normalisePageEntries } from '../../../lambdas/normalise/messenger';
import { PAGE, PSID, IG, IGSID, APP, APP2 } from '../../helpers/sample-ids';

const MESSENGER_CONTACT = { channel: 'messenger', accountId: PAGE, userId: PSID } as const;
const MESSENGER_ACCOUNT = { channel: 'messenger', accountId: PAGE } as const;
const IG_CONTACT = { channel: 'instagram', accountId: IG, userId: IGSID } as const;
const IG_ACCOUNT = { channel: 'instagram', accountId: IG } as const;

/** The parts of a sample the assertions read; samples are parsed JSON, so everything else is left open. */
interface SampleItem extends Record<string, unknown> {
  timestamp?: number | string;
  message?: { mid: string; [key: string]: unknown };
  postback?: { mid?: string; payload?: string; referral?: Record<string, unknown> };
  optin?: Record<string, unknown>;
  reaction?: { mid: string; action: string };
  read?: { mid?: string; watermark?: number };
  delivery?: { mids: string[]; watermark: number };
  message_edit?: { mid: string };
}
interface SampleEntry {
  id: string;
  time: number;
  messaging?: SampleItem[];
  standby?: SampleItem[];
  changes?: { field: string; value: Record<string, unknown> }[];
}
interface Sample {
  object: 'page' | 'instagram';
  entry: SampleEntry[];
}

const load = (path: string): Sample =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'events', 'meta', path), 'utf8')) as Sample;

const normalise = (sample: Sample): NormalisedBatch => normalisePageEntries(sample.object, sample.entry);

const firstEntry = (sample: Sample): SampleEntry => {
  const entry = sample.entry[0];
  if (!entry) throw new Error('sample has no entry');
  return entry;
};

const firstItem = (sample: Sample, list: 'messaging' | 'standby' = 'messaging'): SampleItem => {
  const item = firstEntry(sample)[list]?.[0];
  if (!item) throw new Error(`sample has no ${list} item`);
  return item;
};

const firstValue = (sample: Sample): Record<string, unknown> => {
  const change = firstEntry(sample).changes?.[0];
  if (!change) throw new Error('sample has no change');
  return change.value;
};

/** Same body with the first item replaced, to derive variants of a sample. */
const withItem = (sample: Sample, item: SampleItem): Sample => ({
  ...sample,
  entry: [{ ...firstEntry(sample), messaging: [item] }],
});

const omit = <T extends object>(value: T, key: keyof T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([name]) => name !== key)) as Partial<T>;

const midOf = (item: SampleItem): string => {
  if (!item.message) throw new Error('not a message item');
  return item.message.mid;
};

const only = (batch: NormalisedBatch): WebhookEvent => {
  expect(batch.skipped).toEqual([]);
  expect(batch.events).toHaveLength(1);
  return batch.events[0] as WebhookEvent;
};

describe('normalisePageEntries: Messenger samples', () => {
  it.each([
    ['message-text.json', undefined],
    ['message-quick-reply.json', { text: 'Size M', payload: 'SIZE_M' }],
    ['message-reply-to.json', { text: 'Yes, that one' }],
  ] as [string, object?][])(
    '%s is an inbound message from the PSID that opens the window',
    (file, said) => {
      // Prepare
      const sample = load(`messenger/${file}`);
      const item = firstItem(sample);

      // Act
      const event = only(normalise(sample));

      // Assess
      expect(event).toEqual({
        type: 'inbound',
        eventKey: `messenger#${PAGE}#mid#${midOf(item)}`,
        occurredAt: item.timestamp,
        contact: MESSENGER_CONTACT,
        opener: 'message',
        messageId: midOf(item),
        // A text short enough to be a keyword, and a quick reply's payload: what automation may read.
        ...(said ? { said } : {}),
      });
    },
  );

  it('every attachment type, sticker included, arrives as an inbound message of its own entry', () => {
    const sample = load('messenger/message-attachments.json');

    const batch = normalise(sample);

    expect(batch.skipped).toEqual([]);
    expect(batch.events.map((event) => event.type === 'inbound' && [event.opener, event.messageId, event.occurredAt])).toEqual(
      sample.entry.map((entry) => {
        const item = entry.messaging?.[0] as SampleItem;
        return ['message', midOf(item), item.timestamp];
      }),
    );
  });

  it('a message from a Click-to-Messenger ad opens with ad_referral and keeps the ad id', () => {
    const event = only(normalise(load('messenger/message-ad-referral.json')));

    expect(event).toMatchObject({
      type: 'inbound',
      contact: MESSENGER_CONTACT,
      opener: 'ad_referral',
      adReferral: { adId: '120210000000000001', source: 'ADS' },
    });
  });

  it('an echo never opens a window: it is an echo for the recipient, with its numeric app id as a string', () => {
    const sample = load('messenger/message-echo.json');
    const item = firstItem(sample);

    const event = only(normalise(sample));

    expect(event).toEqual({
      type: 'echo',
      eventKey: `messenger#${PAGE}#echo#${midOf(item)}`,
      occurredAt: item.timestamp,
      contact: MESSENGER_CONTACT,
      messageId: midOf(item),
      appId: APP,
      metadata: 'outbox:01JV7Q3M9Y5T2C8K4N6P0R1S3W',
    });
  });

  it('a postback is a postback opener keyed by its mid', () => {
    const sample = load('messenger/postback.json');
    const mid = firstItem(sample).postback?.mid;

    const event = only(normalise(sample));

    expect(event).toMatchObject({ type: 'inbound', opener: 'postback', messageId: mid, eventKey: `messenger#${PAGE}#mid#${mid}` });
  });

  it('a Get Started postback from an m.me link stays a postback; the same postback from an ad is an ad referral', () => {
    // Prepare
    const sample = load('messenger/postback-get-started-referral.json');
    const item = firstItem(sample);
    const fromAd = withItem(sample, {
      ...item,
      postback: { ...item.postback, referral: { source: 'ADS', type: 'OPEN_THREAD', ad_id: '120210000000000001' } },
    });

    // Act
    const shortlink = only(normalise(sample));
    const ad = only(normalise(fromAd));

    // Assess
    expect(shortlink).toMatchObject({ opener: 'postback', adReferral: undefined });
    expect(ad).toMatchObject({ opener: 'ad_referral', adReferral: { adId: '120210000000000001', source: 'ADS' } });
  });

  it('a postback without mid gets the same key on every re-delivery, even with the time as a string', () => {
    const sample = load('messenger/postback.json');
    const item = firstItem(sample);
    const withoutMid = { ...item, postback: { title: 'Track my order', payload: 'TRACK_ORDER' } };

    const first = only(normalise(withItem(sample, withoutMid)));
    const again = only(normalise(withItem(sample, { ...withoutMid, timestamp: String(item.timestamp) })));

    expect(first.eventKey).toMatch(new RegExp(`^messenger#${PAGE}#postback#${PSID}#${item.timestamp}#[0-9a-f]{16}$`));
    expect(again.eventKey).toBe(first.eventKey);
  });

  it('an m.me referral on an existing thread opens as referral, its ref hashed out of the key', () => {
    const sample = load('messenger/referral.json');

    const event = only(normalise(sample));

    expect(event).toMatchObject({ type: 'inbound', contact: MESSENGER_CONTACT, opener: 'referral', occurredAt: firstItem(sample).timestamp });
    expect(event.eventKey).not.toContain('newsletter_june');
  });

  it('a marketing opt-in records the token and its details but is no window opener', () => {
    const event = only(normalise(load('messenger/optin-marketing.json')));

    expect(event).toMatchObject({
      type: 'opt_in',
      contact: MESSENGER_CONTACT,
      token: '7402981736455517236',
      change: 'opt_in',
      title: 'Weekly deals',
      payload: 'WEEKLY_DEALS',
      timezone: 'Europe/Berlin',
      frequency: 'DAILY',
      tokenExpiresAt: 1794552000000,
      userTokenStatus: 'NOT_REFRESHED',
    });
    expect(event.eventKey).not.toContain('7402981736455517236');
  });

  it.each(['STOP_NOTIFICATIONS', 'STOP NOTIFICATIONS', 'stop notifications'])('a stop spelled %p yields change stop', (status) => {
    const sample = load('messenger/optin-stop.json');
    const item = firstItem(sample);

    const event = only(normalise(withItem(sample, { ...item, optin: { ...item.optin, notification_messages_status: status } })));

    expect(event).toMatchObject({ type: 'opt_in', change: 'stop', token: '7402981736455517236' });
  });

  it('the stop and resume samples, in their two spellings, yield stop and resume', () => {
    expect(only(normalise(load('messenger/optin-stop.json')))).toMatchObject({ change: 'stop' });
    expect(only(normalise(load('messenger/optin-resume-spaced.json')))).toMatchObject({ change: 'resume' });
  });

  it('an unknown notification status is skipped rather than read as a fresh opt-in', () => {
    const sample = load('messenger/optin-stop.json');
    const item = firstItem(sample);

    const batch = normalise(withItem(sample, { ...item, optin: { ...item.optin, notification_messages_status: 'PAUSE' } }));

    expect(batch.events).toEqual([]);
    expect(batch.skipped).toEqual([{ path: 'entry[0].messaging[0]', reason: expect.stringContaining('optin.notification_messages_status') as string }]);
  });

  it('a plugin opt-in without token is only noted, even from a guest known by user_ref', () => {
    const sample = load('messenger/optin-marketing.json');
    const item = firstItem(sample);

    const event = only(normalise(withItem(sample, { ...item, sender: { user_ref: 'guest-7781' }, optin: { ref: 'checkout_page' } })));

    expect(event).toMatchObject({ type: 'noted', what: 'plugin_optin', account: MESSENGER_ACCOUNT, occurredAt: item.timestamp });
  });

  it('a delivery confirms each mid and moves the delivered watermark, timed by the watermark', () => {
    // Prepare
    const sample = load('messenger/delivery.json');
    const { delivery } = firstItem(sample);
    if (!delivery) throw new Error('not a delivery sample');
    const [firstMid, secondMid] = delivery.mids;

    // Act
    const batch = normalise(sample);

    // Assess
    expect(batch.skipped).toEqual([]);
    expect(batch.events).toEqual([
      {
        type: 'message_status',
        eventKey: `messenger#${PAGE}#status#${firstMid}#delivered`,
        occurredAt: delivery.watermark,
        messageId: firstMid,
        status: 'delivered',
        contact: MESSENGER_CONTACT,
      },
      expect.objectContaining({ type: 'message_status', messageId: secondMid, status: 'delivered' }),
      {
        type: 'watermark',
        eventKey: `messenger#${PAGE}#watermark-delivered#${PSID}#${delivery.watermark}`,
        occurredAt: delivery.watermark,
        contact: MESSENGER_CONTACT,
        kind: 'delivered',
        watermark: delivery.watermark,
      },
    ]);
  });

  it('a Messenger read is a read watermark', () => {
    const sample = load('messenger/read.json');
    const item = firstItem(sample);

    const event = only(normalise(sample));

    expect(event).toEqual({
      type: 'watermark',
      eventKey: `messenger#${PAGE}#watermark-read#${PSID}#${item.read?.watermark}`,
      occurredAt: item.timestamp,
      contact: MESSENGER_CONTACT,
      kind: 'read',
      watermark: item.read?.watermark,
    });
  });

  it('a reaction opens the window; taking it back is only noted', () => {
    // Prepare
    const sample = load('messenger/reaction.json');
    const item = firstItem(sample);
    const unreact = withItem(sample, { ...item, reaction: { mid: item.reaction?.mid ?? '', action: 'unreact' } });

    // Act
    const reacted = only(normalise(sample));
    const removed = only(normalise(unreact));

    // Assess
    expect(reacted).toMatchObject({ type: 'inbound', opener: 'reaction', contact: MESSENGER_CONTACT, occurredAt: item.timestamp });
    expect(removed).toMatchObject({ type: 'noted', what: 'reaction_removed', account: MESSENGER_ACCOUNT });
  });

  it.each([
    ['message-edit.json', 'message_edit'],
    ['response-feedback.json', 'response_feedback'],
    ['app-roles.json', 'app_roles'],
  ])('%s is noted as %s', (file, what) => {
    const sample = load(`messenger/${file}`);

    const event = only(normalise(sample));

    expect(event).toMatchObject({ type: 'noted', what, account: MESSENGER_ACCOUNT, occurredAt: firstItem(sample).timestamp });
  });

  it.each([
    ['pass-thread-control.json', 'pass', APP2, APP, { holder: 'this_app' }],
    ['take-thread-control.json', 'take', APP, APP2, { holder: 'other_app' }],
    ['request-thread-control.json', 'request', APP2, undefined, {}],
  ])('%s is thread control %s with app ids as strings, numeric or not, and who holds the thread after it', (file, action, newOwnerAppId, previousOwnerAppId, holder) => {
    const sample = load(`messenger/${file}`);

    const event = only(normalise(sample));

    expect(event).toEqual({
      type: 'thread_control',
      eventKey: `messenger#${PAGE}#thread#${action}#${PSID}#${firstItem(sample).timestamp}`,
      occurredAt: firstItem(sample).timestamp,
      contact: MESSENGER_CONTACT,
      action,
      newOwnerAppId,
      previousOwnerAppId,
      ...holder,
    });
  });

  it('standby items are flagged, and a standby postback without payload is still a postback', () => {
    const batch = normalise(load('messenger/standby-message.json'));

    expect(batch.skipped).toEqual([]);
    expect(batch.events).toEqual([
      expect.objectContaining({ type: 'inbound', opener: 'message', standby: true }),
      expect.objectContaining({ type: 'inbound', opener: 'postback', standby: true }),
    ]);
  });

  it('a policy block concerns the Page, with its reason', () => {
    const sample = load('messenger/policy-enforcement-block.json');
    const item = firstItem(sample);

    const event = only(normalise(sample));

    expect(event).toMatchObject({
      type: 'page_policy',
      eventKey: `messenger#${PAGE}#policy#${item.timestamp}#block`,
      occurredAt: item.timestamp,
      account: MESSENGER_ACCOUNT,
      action: 'block',
      reason: expect.stringContaining('Platform Policies') as string,
    });
  });
});

describe('normalisePageEntries: Marketing Message API changes', () => {
  it.each([
    ['marketing-message-deliveries.json', 'delivered', MESSENGER_CONTACT],
    ['marketing-message-reads.json', 'read', undefined],
  ])('%s is a %s status of the recipient\'s own send (tracking id), for the PSID when Meta names one', (file, status, contact) => {
    const sample = load(`messenger/${file}`);
    const value = firstValue(sample);

    const event = only(normalise(sample));

    expect(event).toEqual({
      type: 'message_status',
      eventKey: expect.stringMatching(new RegExp(`^messenger#${PAGE}#mm-status#`)) as string,
      occurredAt: value.timestamp,
      messageId: value.marketing_message_tracking_id,
      status,
      contact,
      callbackData: value.marketing_message_tracking_id,
    });
  });

  it('a failed delivery is a failed status timed from its unix-second string', () => {
    const sample = load('messenger/marketing-message-delivery-failed.json');

    const event = only(normalise(sample));

    // No tracking id or mid: the campaign message narrowed to this recipient's (hashed) subscription token.
    expect(event).toMatchObject({ type: 'message_status', status: 'failed', occurredAt: 1779000034000 });
    expect((event as { messageId: string }).messageId).toMatch(/^120215000000000101#[0-9a-f]{16}$/);
    // Meta's report has no code: the message is all there is to record.
    expect(event).toMatchObject({ error: { title: 'Recipient has stopped marketing messages from this Page' } });
    expect(event).not.toHaveProperty('error.code');
  });

  it('an echo to a known PSID (sent as a number) is an echo; to a custom-audience subscriber it is only noted', () => {
    // Prepare
    const sample = load('messenger/marketing-message-echoes.json');
    const anonymous = omit(firstValue(sample), 'recipient_id');
    const withoutRecipient: Sample = {
      ...sample,
      entry: [{ ...firstEntry(sample), changes: [{ field: 'marketing_message_echoes', value: anonymous }] }],
    };

    // Act
    const echo = only(normalise(sample));
    const noted = only(normalise(withoutRecipient));

    // Assess
    expect(echo).toMatchObject({ type: 'echo', contact: MESSENGER_CONTACT, messageId: firstValue(sample).marketing_message_tracking_id, appId: APP });
    expect(noted).toMatchObject({ type: 'noted', what: 'marketing_message_echo', account: MESSENGER_ACCOUNT });
  });

  it('a click names its recipient and send, to be counted on the send (README "Clicks")', () => {
    const sample = load('messenger/marketing-message-clicks.json');
    const event = only(normalise(sample));

    expect(event).toMatchObject({
      type: 'marketing_click',
      contact: MESSENGER_CONTACT,
      messageId: firstValue(sample).marketing_message_tracking_id,
      campaignMessageId: firstValue(sample).message_id,
    });
  });

  it('a click of a custom-audience subscriber (no recipient_id) is noted', () => {
    const sample = load('messenger/marketing-message-clicks.json');
    const result = normalisePageEntries('page', [{ ...firstEntry(sample), changes: [{ field: 'marketing_message_clicks', value: omit(firstValue(sample), 'recipient_id') }] }]);

    expect(result.events).toEqual([expect.objectContaining({ type: 'noted', what: 'marketing_message_click', account: MESSENGER_ACCOUNT })]);
  });

  it('a status that names no per-recipient message is skipped with its field name', () => {
    const sample = load('messenger/marketing-message-deliveries.json');
    const value = omit(omit(omit(firstValue(sample), 'marketing_message_tracking_id'), 'mid'), 'messenger_subscription_token');

    const result = normalisePageEntries('page', [
      { ...firstEntry(sample), changes: [{ field: 'marketing_message_deliveries', value }] },
    ]);

    expect(result).toEqual({
      events: [],
      skipped: [{ path: 'entry[0].changes[0]', reason: 'marketing_message_deliveries: no per-recipient message id' }],
    });
  });

  it('two recipients of the same campaign message get distinct event keys', () => {
    const sample = load('messenger/marketing-message-deliveries.json');
    const other: Sample = {
      ...sample,
      entry: [
        {
          ...firstEntry(sample),
          changes: [
            {
              field: 'marketing_message_deliveries',
              value: { ...firstValue(sample), recipient_id: '6543210987650000', marketing_message_tracking_id: '4738291056473820000' },
            },
          ],
        },
      ],
    };

    expect(only(normalise(other)).eventKey).not.toBe(only(normalise(sample)).eventKey);
  });
});

describe('normalisePageEntries: Instagram samples', () => {
  it.each([
    ['message-text.json', { text: 'Hey! Do you ship to Austria?' }],
    ['message-story-reply.json', { text: 'Love this look! 😍' }],
    ['message-story-mention.json', undefined],
  ] as [string, object?][])(
    '%s is an inbound message from the IGSID',
    (file, said) => {
      const sample = load(`instagram/${file}`);
      const item = firstItem(sample);

      const event = only(normalise(sample));

      expect(event).toEqual({
        type: 'inbound',
        eventKey: `instagram#${IG}#mid#${midOf(item)}`,
        occurredAt: item.timestamp,
        contact: IG_CONTACT,
        opener: 'message',
        messageId: midOf(item),
        ...(said ? { said } : {}),
      });
    },
  );

  it('a Click-to-Direct ad message opens with ad_referral', () => {
    const event = only(normalise(load('instagram/message-ad-referral.json')));

    expect(event).toMatchObject({ contact: IG_CONTACT, opener: 'ad_referral', adReferral: { adId: '120210000000000002', source: 'ADS' } });
  });

  it('an Instagram echo is an echo for the IGSID, never an inbound message', () => {
    const sample = load('instagram/message-echo.json');

    const event = only(normalise(sample));

    expect(event).toMatchObject({ type: 'echo', contact: IG_CONTACT, messageId: midOf(firstItem(sample)) });
  });

  it('messaging_seen marks that one message read (no watermark)', () => {
    const sample = load('instagram/messaging-seen.json');
    const mid = firstItem(sample).read?.mid;

    const event = only(normalise(sample));

    expect(event).toEqual({
      type: 'message_status',
      eventKey: `instagram#${IG}#status#${mid}#read`,
      occurredAt: firstItem(sample).timestamp,
      messageId: mid,
      status: 'read',
      contact: IG_CONTACT,
    });
  });

  it.each([
    ['reaction.json', 'reaction'],
    ['postback-ice-breaker.json', 'postback'],
    ['referral-igme.json', 'referral'],
  ])('%s opens the window as %s', (file, opener) => {
    const sample = load(`instagram/${file}`);

    const event = only(normalise(sample));

    expect(event).toMatchObject({ type: 'inbound', contact: IG_CONTACT, opener, occurredAt: firstItem(sample).timestamp });
  });

  it.each([
    ['message-deleted.json', 'message_deleted'],
    ['message-edit.json', 'message_edit'],
  ])('%s is noted as %s', (file, what) => {
    const event = only(normalise(load(`instagram/${file}`)));

    expect(event).toMatchObject({ type: 'noted', what, account: IG_ACCOUNT });
  });
});

describe('normalisePageEntries: one bad item never costs the batch', () => {
  it('an unknown item is skipped by its key names and the rest of the batch is kept', () => {
    // Prepare
    const sample = load('messenger/message-text.json');
    const text = firstItem(sample);
    const gamePlay = { sender: { id: PSID }, recipient: { id: PAGE }, timestamp: 1779000000500, game_play: { score: 42 } };
    const batch: Sample = { ...sample, entry: [{ ...firstEntry(sample), messaging: [gamePlay, text] }] };

    // Act
    const result = normalise(batch);

    // Assess
    expect(result.events).toEqual([expect.objectContaining({ type: 'inbound', messageId: midOf(text) })]);
    expect(result.skipped).toEqual([
      { path: 'entry[0].messaging[0]', reason: 'unknown event (keys: sender,recipient,timestamp,game_play)' },
    ]);
  });

  it('a malformed item in the middle of a batch is skipped with a reason that carries none of its values', () => {
    // Prepare
    const sample = load('messenger/message-text.json');
    const text = firstItem(sample);
    const malformed = { ...text, message: { mid: 4711, text: 'call me on +49 170 1234567' } };

    // Act
    const result = normalisePageEntries('page', [{ ...firstEntry(sample), messaging: [text, malformed, text] }]);

    // Assess
    expect(result.events).toHaveLength(2);
    expect(result.skipped).toEqual([{ path: 'entry[0].messaging[1]', reason: 'message: invalid (message.mid invalid_type)' }]);
  });

  it('an entry whose shell is broken is skipped whole; the next entry is kept', () => {
    const sample = load('messenger/message-text.json');
    const broken = { time: 1779000000000, messaging: [firstItem(sample)] };

    const result = normalisePageEntries('page', [broken, firstEntry(sample)]);

    expect(result.events).toHaveLength(1);
    expect(result.skipped).toEqual([{ path: 'entry[0]', reason: 'invalid entry (id invalid_union)' }]);
  });

  it('a message from a chat-plugin guest known only by user_ref is skipped: there is no contact to open', () => {
    const sample = load('messenger/message-text.json');

    const result = normalise(withItem(sample, { ...firstItem(sample), sender: { user_ref: 'guest-7781' } }));

    expect(result).toEqual({ events: [], skipped: [{ path: 'entry[0].messaging[0]', reason: 'message: missing sender.id' }] });
  });

  it('an item without its own time takes the entry time', () => {
    const sample = load('messenger/message-text.json');
    const untimed = omit(firstItem(sample), 'timestamp');

    const event = only(normalise(withItem(sample, untimed)));

    expect(event.occurredAt).toBe(firstEntry(sample).time);
  });

  it('a changes field afterchat does not handle is skipped by name; the messaging items are kept', () => {
    const sample = load('messenger/message-text.json');
    const entry = { ...firstEntry(sample), changes: [{ field: 'feed', value: { item: 'comment', message: 'nice' } }] };

    const result = normalisePageEntries('page', [entry]);

    expect(result.events).toHaveLength(1);
    expect(result.skipped).toEqual([{ path: 'entry[0].changes[0]', reason: 'unknown field feed' }]);
  });
});
