/** Interface under test: normaliseWhatsAppEntries, WhatsApp Business Account webhook entries → normalised events. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookEvent } from '../../../lambdas/domain/events';
import { normaliseWhatsAppEntries } from '../../../lambdas/normalise/whatsapp';
import { WABA, PHONE, DE_WA as DE, US_WA as US, DE_BSUID, US_BSUID } from '../../helpers/sample-ids';

type Json = Record<string, unknown>;
interface Body {
  object: string;
  entry: { id: string; time?: number; changes: { field: string; value: Json }[] }[];
}

const SAMPLES = join(__dirname, '../../../events/meta/whatsapp');

const load = (name: string): Body => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8')) as Body;
const valueOf = (body: Body): Json => body.entry[0]!.changes[0]!.value;
const itemsOf = (body: Body, key: 'messages' | 'statuses'): Json[] => valueOf(body)[key] as Json[];
const normalise = (body: Body) => normaliseWhatsAppEntries(body.entry);
const only = (body: Body): WebhookEvent => {
  const { events, skipped } = normalise(body);
  expect(skipped).toEqual([]);
  expect(events).toHaveLength(1);
  return events[0]!;
};

/** The text sample with its message replaced by `message` (keeping sender, id and time). */
const textWith = (message: Json): Body => {
  const body = load('message-text.json');
  const [original] = itemsOf(body, 'messages');
  valueOf(body).messages = [{ from: original!.from, id: original!.id, timestamp: original!.timestamp, ...message }];
  return body;
};

const phone = { channel: 'whatsapp', accountId: PHONE };
const waba = { channel: 'whatsapp', accountId: WABA };

describe('every sample', () => {
  const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.json') && f !== 'value-errors.json');

  it.each(files)('%s normalises with nothing skipped', (file) => {
    const { events, skipped } = normalise(load(file));
    expect(skipped).toEqual([]);
    expect(events.length).toBeGreaterThan(0);
  });
});

describe('inbound messages', () => {
  it.each([
    ['message-text.json', 'message', undefined, false],
    ['message-image.json', 'message', undefined, false],
    ['message-video.json', 'message', undefined, false],
    ['message-audio-voice.json', 'message', undefined, false],
    ['message-document.json', 'message', undefined, false],
    ['message-sticker.json', 'message', undefined, false],
    ['message-location.json', 'message', undefined, false],
    ['message-contacts.json', 'message', undefined, false],
    ['message-interactive-button-reply.json', 'message', { payload: 'return-start' }, true],
    ['message-interactive-list-reply.json', 'message', { payload: 'slot-2026-05-20-10' }, true],
    ['message-interactive-nfm-reply.json', 'message', undefined, false],
    ['message-button.json', 'message', { text: 'Keine Angebote mehr', payload: 'STOP_PROMO' }, true],
    ['message-order.json', 'message', undefined, false],
    ['message-reply-context.json', 'message', { text: 'Ja, Donnerstag passt mir.' }, false],
    ['message-reaction.json', 'reaction', undefined, false],
  ] as [string, string, object | undefined, boolean][])('%s opens the window of the wa_id-keyed contact as %s', (file, opener, said, answers) => {
    const body = load(file);
    const [message] = itemsOf(body, 'messages');
    expect(only(body)).toEqual({
      type: 'inbound',
      eventKey: `whatsapp#${PHONE}#wamid#${String(message!.id)}`,
      occurredAt: Number(message!.timestamp) * 1000,
      contact: { ...phone, userId: DE },
      opener,
      messageId: message!.id,
      identities: { waId: DE, bsuid: DE_BSUID },
      // What automation may read: a text short enough to be a keyword, a button's payload or id.
      ...(said ? { said } : {}),
      // A tapped button or reply names the message it answers: afterchat's message's click (README "Clicks").
      ...(answers === true ? { answers: (message as { context: { id: string } }).context.id } : {}),
    });
  });

  it('a Click-to-WhatsApp message opens as an ad referral with the ad id and click id', () => {
    expect(only(load('message-ctwa-referral.json'))).toMatchObject({
      type: 'inbound',
      opener: 'ad_referral',
      contact: { ...phone, userId: US },
      adReferral: {
        adId: '120226305854810726',
        source: 'ad',
        ctwaClid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
      },
    });
  });

  it('an ad shown in WhatsApp Status (no ctwa_clid) still counts as an ad referral', () => {
    const body = load('message-ctwa-referral.json');
    const [message] = itemsOf(body, 'messages');
    delete (message!.referral as Json).ctwa_clid;
    expect(only(body)).toMatchObject({ opener: 'ad_referral', adReferral: { adId: '120226305854810726', ctwaClid: undefined } });
  });

  it('an edit is the person writing again, so it opens the window', () => {
    const edit = textWith({ type: 'edit', edit: { original_message_id: 'wamid.ORIGINAL', message: { type: 'text', text: { body: 'Größe L' } } } });
    expect(only(edit)).toMatchObject({ type: 'inbound', opener: 'message', contact: { userId: DE } });
  });

  it('a reply to an interactive message type the schema does not list yet still opens the window', () => {
    const reply = textWith({ type: 'interactive', interactive: { type: 'call_permission_reply', call_permission_reply: { response: 'accept' } } });
    expect(only(reply)).toMatchObject({ type: 'inbound', opener: 'message' });
  });

  it('a message type the schema does not list yet still opens the window', () => {
    expect(only(textWith({ type: 'video_note', video_note: { id: '123' } }))).toMatchObject({ type: 'inbound', opener: 'message' });
  });
});

describe('messages that never open a window', () => {
  it.each([
    ['a system message other than an identity change', textWith({ type: 'system', system: { type: 'customer_identity_changed', body: 'x' } }), 'system:customer_identity_changed'],
    ['unsupported', load('message-unsupported.json'), 'unsupported'],
    ['a removed reaction (empty emoji)', textWith({ type: 'reaction', reaction: { message_id: 'wamid.OURS', emoji: '' } }), 'reaction_removed'],
    ['a removed reaction (no emoji)', textWith({ type: 'reaction', reaction: { message_id: 'wamid.OURS' } }), 'reaction_removed'],
    ['revoke', textWith({ type: 'revoke', revoke: { original_message_id: 'wamid.ORIGINAL' } }), 'revoke'],
    ['request_welcome', textWith({ type: 'request_welcome' }), 'request_welcome'],
  ])('%s is only noted', (_name, body, what) => {
    expect(only(body)).toMatchObject({ type: 'noted', account: phone, what });
  });
});

describe('identity changes (system messages, Meta 2026-08-11)', () => {
  it('user_changed_user_id keys the person by the new BSUID and names the previous one and both parents', () => {
    expect(only(load('message-system-changed-user-id.json'))).toMatchObject({
      type: 'identity_change',
      change: 'user_id',
      contact: { ...phone, userId: 'DE.55012938475610293847' },
      current: { bsuid: 'DE.55012938475610293847', parentBsuid: 'DE.P.70451829364501928374' },
      previous: { bsuid: DE_BSUID, parentBsuid: 'DE.P.10293847561029384756' },
    });
  });

  it('user_changed_number keys the person by the new number, the old one being the previous', () => {
    expect(only(load('message-system-changed-number.json'))).toMatchObject({
      type: 'identity_change',
      change: 'number',
      contact: { ...phone, userId: '4915198765432' },
      current: { waId: '4915198765432' },
      previous: { waId: DE },
    });
  });

  it('never opens the window', () => {
    expect(only(load('message-system-changed-user-id.json')).type).not.toBe('inbound');
  });
});

describe('Meta Business Agent coexistence (standby, messaging_handovers)', () => {
  it('a message on standby is an inbound event flagged standby: it opens the window', () => {
    expect(only(load('standby-message.json'))).toMatchObject({ type: 'inbound', opener: 'message', standby: true, contact: { ...phone, userId: DE } });
  });

  it('an echo on standby is what the agent sent, never an inbound', () => {
    expect(only(load('standby-echo.json'))).toMatchObject({ type: 'echo', standby: true, contact: { ...phone, userId: DE } });
  });

  it('an smb_message_echoes item is what the business sent from the WhatsApp Business app, to the person it names', () => {
    const echo = only(load('smb-message-echoes.json'));
    expect(echo).toMatchObject({ type: 'echo', origin: 'business_app', contact: { ...phone, userId: DE } });
    expect(echo.standby).toBeUndefined();
  });

  it('control_passed reaches afterchat as the new owner; control_taken names the role that took it', () => {
    expect(only(load('messaging-handovers-control-passed.json'))).toMatchObject({
      type: 'thread_control',
      action: 'pass',
      holder: 'this_app',
      newOwnerRole: 'escalation',
      previousOwnerRole: 'ai_agent',
      occurredAt: 1779024100000,
    });
    expect(only(load('messaging-handovers-control-taken.json'))).toMatchObject({ action: 'take', holder: 'meta_business_agent', newOwnerRole: 'ai_agent' });
  });

  it('a handover that names no person is only noted', () => {
    const body = load('messaging-handovers-control-passed.json') as ReturnType<typeof load> & { entry: { changes: { value: { sender?: object } }[] }[] };
    delete body.entry[0]?.changes[0]?.value.sender;
    expect(only(body)).toMatchObject({ type: 'noted', what: 'handover:control_passed' });
  });
});

describe('identity', () => {
  it('a username user with empty wa_id is keyed by BSUID', () => {
    expect(only(load('message-username-bsuid.json'))).toMatchObject({
      type: 'inbound',
      contact: { ...phone, userId: DE_BSUID },
      identities: { waId: undefined, bsuid: DE_BSUID },
    });
  });

  it.each([
    ['after', ['message-text.json', 'message-username-bsuid.json']],
    ['before', ['message-username-bsuid.json', 'message-text.json']],
  ])('a BSUID-only message in a batch that also names the wa_id (%s it) is keyed by wa_id', (_order, files) => {
    const { events } = normaliseWhatsAppEntries(files.flatMap((f) => load(f).entry));
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event).toMatchObject({ contact: { userId: DE }, identities: { waId: DE, bsuid: DE_BSUID } });
    }
  });

  it('a message with neither wa_id nor BSUID is skipped', () => {
    const { events, skipped } = normalise(textWith({ from: '', type: 'text', text: { body: 'hi' } }));
    expect(events).toEqual([]);
    expect(skipped).toEqual([{ path: 'entry[0].changes[0].value.messages[0]', reason: 'no sender id' }]);
  });
});

describe('statuses', () => {
  it.each([
    ['status-sent.json', 'sent', DE],
    ['status-delivered.json', 'delivered', DE],
    ['status-read.json', 'read', DE],
    ['status-failed-131049.json', 'failed', US],
    ['status-failed-131050.json', 'failed', DE],
    ['status-with-pricing-pmp.json', 'sent', US],
  ])('%s reports %s for the recipient and never opens a window', (file, status, userId) => {
    const event = only(load(file));
    expect(event).toMatchObject({ type: 'message_status', status, contact: { ...phone, userId } });
  });

  it('carries the callback data we sent, to correlate with the outbox', () => {
    expect(only(load('status-sent.json'))).toMatchObject({ callbackData: 'campaign-42:job-7', error: undefined });
  });

  it.each([
    ['status-failed-131049.json', 131049],
    ['status-failed-131050.json', 131050],
  ])('%s carries error %i, which is also part of its event key', (file, code) => {
    const event = only(load(file));
    expect(event).toMatchObject({ error: { code, title: expect.any(String) as string } });
    expect(event.eventKey.endsWith(`#failed#${code}`)).toBe(true);
  });

  it.each([
    ['status-delivered.json', { category: 'utility', type: 'regular', pricingModel: 'PMP', billable: true }],
    ['status-with-pricing-pmp.json', { category: 'referral_conversion', type: 'free_entry_point', pricingModel: 'PMP', billable: false }],
  ])('%s carries its pricing', (file, pricing) => {
    expect(only(load(file))).toMatchObject({ pricing });
  });

  it('a batch yields one event per status, keyed by (wamid, status), and a BSUID-only recipient by BSUID', () => {
    const body = load('statuses-batch.json');
    const { events, skipped } = normalise(body);
    expect(skipped).toEqual([]);
    expect(events.map((e) => e.type === 'message_status' && [e.status, e.contact?.userId])).toEqual([
      ['sent', DE],
      ['delivered', DE],
      ['played', DE],
      ['delivered', US_BSUID],
    ]);
    const [first] = itemsOf(body, 'statuses');
    expect(events[0]!.eventKey).toBe(`whatsapp#${PHONE}#status#${String(first!.id)}#sent`);
  });

  it('a malformed status among good ones is skipped with a reason that holds no payload values', () => {
    const body = load('statuses-batch.json');
    const statuses = itemsOf(body, 'statuses');
    statuses[1] = { ...statuses[1], recipient_id: Number(DE) };
    const { events, skipped } = normalise(body);
    expect(events.map((e) => e.type === 'message_status' && e.status)).toEqual(['sent', 'played', 'delivered']);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.path).toBe('entry[0].changes[0].value.statuses[1]');
    expect(skipped[0]!.reason).toContain('recipient_id');
    expect(skipped[0]!.reason).not.toContain(DE);
    expect(skipped[0]!.reason).not.toContain('wamid');
  });
});

describe('value-level errors', () => {
  it('are account errors by code at the time of the message they came with; the payload-less message is skipped', () => {
    const { events, skipped } = normalise(load('value-errors.json'));
    expect(events).toEqual([
      {
        type: 'account_error',
        eventKey: `whatsapp#${PHONE}#value-error#1779013000000#131000`,
        occurredAt: 1779013000000,
        account: phone,
        code: 131000,
        title: 'Something went wrong',
      },
    ]);
    expect(skipped).toEqual([{ path: 'entry[0].changes[0].value.messages[0]', reason: expect.stringContaining('interactive') as string }]);
  });
});

describe('user preferences', () => {
  it.each([
    ['user-preferences-stop.json', 'stop', DE, DE_BSUID, 1779005000],
    ['user-preferences-resume.json', 'resume', US, US_BSUID, 1779005600],
  ])('%s records a marketing %s', (file, value, waId, bsuid, seconds) => {
    expect(only(load(file))).toEqual({
      type: 'marketing_preference',
      eventKey: `whatsapp#${PHONE}#pref#${waId}#${seconds}#${value}`,
      occurredAt: seconds * 1000,
      contact: { ...phone, userId: waId },
      value,
      category: 'marketing_messages',
      identities: { waId, bsuid },
    });
  });

  it('a signup is only noted: it neither stops nor resumes marketing', () => {
    const body = load('user-preferences-resume.json');
    (valueOf(body).user_preferences as Json[])[0]!.value = 'signup';
    expect(only(body)).toMatchObject({ type: 'noted', what: 'marketing_signup' });
  });
});

describe('template, phone-number and account events', () => {
  it('template events take their time from entry.time and belong to the WABA', () => {
    expect(only(load('template-status-approved.json'))).toEqual({
      type: 'template_status',
      eventKey: `whatsapp#${WABA}#tpl-status#1689556908129835#APPROVED#1779006000`,
      occurredAt: 1779006000000,
      account: waba,
      templateId: '1689556908129835',
      name: 'order_shipped',
      language: 'de',
      status: 'APPROVED',
      reason: undefined,
      category: 'UTILITY',
    });
  });

  it('a template event without entry.time is skipped: it has no other time', () => {
    const body = load('template-status-approved.json');
    delete body.entry[0]!.time;
    expect(normalise(body)).toEqual({ events: [], skipped: [{ path: 'entry[0].changes[0]', reason: 'no time' }] });
  });

  it('a template id sent as a string yields the same event as one sent as a number', () => {
    const body = load('template-status-approved.json');
    valueOf(body).message_template_id = '1689556908129835';
    expect(only(body)).toEqual(only(load('template-status-approved.json')));
  });

  it.each([
    ['template-status-paused.json', 'PAUSED', 'NONE'],
    ['template-status-rejected.json', 'REJECTED', 'INCORRECT_CATEGORY'],
  ])('%s reports %s with reason %s', (file, status, reason) => {
    expect(only(load(file))).toMatchObject({ type: 'template_status', status, reason, account: waba });
  });

  it('a template quality update reports the new and previous score', () => {
    expect(only(load('template-quality-update.json'))).toMatchObject({
      type: 'template_quality',
      templateId: '1204738562219876',
      quality: 'YELLOW',
      previousQuality: 'GREEN',
      occurredAt: 1779007200000,
    });
  });

  it('a template category update reports the category now in force', () => {
    expect(only(load('template-category-update.json'))).toMatchObject({
      type: 'template_category',
      category: 'MARKETING',
      previousCategory: 'UTILITY',
      account: waba,
    });
  });

  it('a phone-number quality update reports the messaging limit', () => {
    expect(only(load('phone-number-quality-update.json'))).toMatchObject({
      type: 'phone_quality',
      account: waba,
      event: 'THROUGHPUT_UPGRADE',
      messagingLimit: 'TIER_2K',
      displayPhoneNumber: '15550783881',
    });
  });

  it('an account restriction reports each restriction with its expiry', () => {
    expect(only(load('account-update-restriction.json'))).toMatchObject({
      type: 'account_update',
      account: waba,
      event: 'ACCOUNT_RESTRICTION',
      restrictions: [
        { type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiresAt: 1779616800000 },
        { type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION', expiresAt: 1779616800000 },
      ],
    });
  });
});

describe('resilience', () => {
  it('an unknown field is skipped and the other changes kept', () => {
    const body = load('message-text.json');
    body.entry[0]!.changes.unshift({ field: 'security', value: { event: 'PIN_CHANGED' } });
    const { events, skipped } = normalise(body);
    expect(events.map((e) => e.type)).toEqual(['inbound']);
    expect(skipped).toEqual([{ path: 'entry[0].changes[0]', reason: 'unknown field security' }]);
  });

  it('a known field failing its schema is skipped by issue path, without values', () => {
    const body = load('template-status-rejected.json');
    valueOf(body).message_template_name = 1877320946158203;
    const { events, skipped } = normalise(body);
    expect(events).toEqual([]);
    expect(skipped).toEqual([{ path: 'entry[0].changes[0]', reason: 'invalid (value.message_template_name invalid_type)' }]);
  });

  it('a malformed listed message is skipped, not passed off as an unlisted type', () => {
    const body = load('message-text.json');
    const messages = itemsOf(body, 'messages');
    messages.unshift({ ...messages[0], id: 'wamid.BROKEN', text: { caption: 'no body' } });
    const { events, skipped } = normalise(body);
    expect(events).toHaveLength(1);
    expect(skipped).toEqual([{ path: 'entry[0].changes[0].value.messages[0]', reason: 'invalid (text.body invalid_type)' }]);
  });

  it('an entry without its WABA id is skipped and the next entry kept', () => {
    const broken = load('template-status-approved.json').entry[0]!;
    const { events, skipped } = normaliseWhatsAppEntries([{ ...broken, id: undefined }, ...load('message-text.json').entry]);
    expect(events.map((e) => e.type)).toEqual(['inbound']);
    expect(skipped).toEqual([{ path: 'entry[0]', reason: 'invalid (id invalid_type)' }]);
  });
});
