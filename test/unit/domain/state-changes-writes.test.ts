/**
 * Interface under test: stateChanges, written out in full for each kind of event: which registers
 * of which item it writes, which way they win, and the fields they carry. These are the state the
 * admin API shows and the policy engine reads (a page blocked, a person stopped, a token's topic),
 * so a dropped field or a flipped flag is a decision gone wrong later. Written for mutants StrykerJS
 * found surviving (README, "Mutation testing").
 */
import type { AccountRef, ContactRef, MessageStatusEvent, WebhookEvent } from '../../../lambdas/domain/events';
import { callbackDataFor } from '../../../lambdas/domain/send/callback-data';
import { outboxIdFor } from '../../../lambdas/domain/send/outbox-id';
import { stateChanges } from '../../../lambdas/domain/state-changes';
import { compactOrderOf, orderOf, type RegisterWrite } from '../../../lambdas/domain/state-writes';

const at = Date.UTC(2026, 4, 17, 12);
const KEY = 'event-1';
const order = orderOf(at, KEY);
const compactOrder = compactOrderOf(at, KEY);
const page: AccountRef = { channel: 'messenger', accountId: '1234567890123456' };
const person: ContactRef = { ...page, userId: '6543210987654321' };
const phone: AccountRef = { channel: 'whatsapp', accountId: '109876543210987' };
const waPerson: ContactRef = { ...phone, userId: '4915112345678' };
const BSUID = 'DE.1234567890123456789';
const OUTBOX = outboxIdFor('order-1001');

const base = { eventKey: KEY, occurredAt: at };
const write = (target: RegisterWrite['target'], register: string, wins: RegisterWrite['wins'], fields: RegisterWrite['fields'], rank?: number): RegisterWrite => ({
  target,
  register,
  order,
  wins,
  fields,
  ...(rank === undefined ? {} : { rank }),
});
const contactTarget = (contact: ContactRef) => ({ entity: 'contact' as const, contact });
const registersOf = (event: WebhookEvent) => stateChanges(event).map((w) => w.register);

describe('what each event writes', () => {
  it('an echo: the last outbound message, a sent status, who it went to, and the outbox record it belongs to', () => {
    expect(stateChanges({ ...base, type: 'echo', contact: person, messageId: 'm_1', appId: '263902037430900', metadata: OUTBOX })).toEqual([
      write(contactTarget(person), 'lastOutbound', 'later', { lastOutboundAt: at, lastOutboundMessageId: 'm_1', lastOutboundAppId: '263902037430900' }),
      write({ entity: 'message', messageId: 'm_1' }, 'status', 'earlier', { status: 'sent', statusAt: at }, 1),
      write({ entity: 'message', messageId: 'm_1' }, 'recipient', 'least', { channel: 'messenger', accountId: page.accountId, userId: person.userId }),
      write({ entity: 'message', messageId: 'm_1' }, 'callback', 'least', { callbackData: OUTBOX }),
      // On the outbox record the delivery register's rank is the status, its (compact) order starts with the time.
      { ...write({ entity: 'outbox', outboxId: OUTBOX }, 'delivery', 'earlier', { deliveryErrorCode: undefined }, 1), order: compactOrder },
      { ...write({ entity: 'outbox', outboxId: OUTBOX }, 'messageId', 'least', { messageId: 'm_1' }), order: compactOrder },
    ]);
  });

  it('a watermark: the delivered or the read watermark, ordered by the watermark itself', () => {
    for (const kind of ['delivered', 'read'] as const) {
      const register = kind === 'delivered' ? 'deliveredWatermark' : 'readWatermark';
      expect(stateChanges({ ...base, type: 'watermark', contact: person, kind, watermark: at - 5000 })).toEqual([
        { target: contactTarget(person), register, order: orderOf(at - 5000, KEY), wins: 'later', fields: { [register]: at - 5000 } },
      ]);
    }
  });

  it("a marketing preference: stop opts the person out, resume opts them back in, and the person's ids are learnt", () => {
    const preference = (value: 'stop' | 'resume') =>
      stateChanges({ ...base, type: 'marketing_preference', contact: waPerson, value, category: 'marketing_messages', identities: { waId: waPerson.userId, bsuid: BSUID } });
    expect(preference('stop')).toEqual([
      write(contactTarget(waPerson), 'marketingPreference', 'later', { marketingOptOut: true, marketingPreferenceAt: at, marketingPreferenceCategory: 'marketing_messages' }),
      write(contactTarget(waPerson), 'waId', 'later', { waId: waPerson.userId }),
      write(contactTarget(waPerson), 'bsuid', 'later', { bsuid: BSUID }),
      write(contactTarget({ ...waPerson, userId: BSUID }), 'link', 'later', { linkedUserId: waPerson.userId }),
    ]);
    expect(preference('resume')[0]?.fields).toMatchObject({ marketingOptOut: false });
  });

  it('learns a wa_id alone when Meta names no BSUID: no empty BSUID, no link', () => {
    expect(stateChanges({ ...base, type: 'inbound', contact: waPerson, opener: 'reaction', identities: { waId: waPerson.userId } }).slice(1)).toEqual([
      write(contactTarget(waPerson), 'waId', 'later', { waId: waPerson.userId }),
    ]);
  });

  it('learns a BSUID without a link when the person is keyed by it, and nothing without ids', () => {
    const keyedByBsuid = { ...waPerson, userId: BSUID };
    expect(stateChanges({ ...base, type: 'inbound', contact: keyedByBsuid, opener: 'reaction', identities: { bsuid: BSUID } }).slice(1)).toEqual([
      write(contactTarget(keyedByBsuid), 'bsuid', 'later', { bsuid: BSUID }),
    ]);
    expect(stateChanges({ ...base, type: 'inbound', contact: keyedByBsuid, opener: 'reaction', identities: { waId: waPerson.userId, bsuid: BSUID } }).slice(1)).toEqual([
      write(contactTarget(keyedByBsuid), 'waId', 'later', { waId: waPerson.userId }),
      write(contactTarget(keyedByBsuid), 'bsuid', 'later', { bsuid: BSUID }),
    ]);
  });

  it('an inbound message: the window (on standby or not), the last message, and the ad it came from', () => {
    expect(
      stateChanges({
        ...base,
        type: 'inbound',
        contact: person,
        opener: 'ad_referral',
        messageId: 'm_2',
        standby: true,
        adReferral: { adId: 'ad-7', source: 'ADS', ctwaClid: 'clid-1' },
      }),
    ).toEqual([
      write(contactTarget(person), 'window', 'later', { lastInboundAt: at, openedBy: 'ad_referral', lastInboundMessageId: 'm_2', lastInboundStandby: true }),
      write(contactTarget(person), 'lastMessage', 'later', { lastMessageAt: at }),
      write(contactTarget(person), 'adReferral', 'later', { lastAdReferralAt: at, adId: 'ad-7', adSource: 'ADS', ctwaClid: 'clid-1' }),
    ]);
    expect(stateChanges({ ...base, type: 'inbound', contact: person, opener: 'message' })[0]?.fields).toMatchObject({ lastInboundStandby: false });
  });

  it("a template's status, quality and category: each its own register on the template, with the template's id kept first-wins", () => {
    const template = { entity: 'template' as const, account: phone, name: 'order_update', language: 'de' };
    const identity = write(template, 'templateIdentity', 'earlier', { templateId: '1689556908' });
    const ref = { account: phone, name: 'order_update', language: 'de', templateId: '1689556908' };
    expect(stateChanges({ ...base, type: 'template_status', ...ref, status: 'REJECTED', reason: 'INVALID_FORMAT', category: 'UTILITY' })).toEqual([
      write(template, 'templateStatus', 'later', { status: 'REJECTED', statusReason: 'INVALID_FORMAT', statusAt: at }),
      write(template, 'templateCategory', 'later', { category: 'UTILITY', categoryAt: at }),
      identity,
    ]);
    expect(registersOf({ ...base, type: 'template_status', ...ref, status: 'APPROVED' })).toEqual(['templateStatus', 'templateIdentity']);
    expect(stateChanges({ ...base, type: 'template_quality', ...ref, quality: 'RED', previousQuality: 'GREEN' })).toEqual([
      write(template, 'templateQuality', 'later', { quality: 'RED', previousQuality: 'GREEN', qualityAt: at }),
      identity,
    ]);
  });

  it('a page policy event: a warning is kept as such; a block blocks the page, an unblock lifts it, with the reason', () => {
    const account = { entity: 'account' as const, account: page };
    expect(stateChanges({ ...base, type: 'page_policy', account: page, action: 'warning', reason: 'spam' })).toEqual([
      write(account, 'policyWarning', 'later', { lastWarningAt: at, lastWarningReason: 'spam' }),
    ]);
    expect(stateChanges({ ...base, type: 'page_policy', account: page, action: 'block', reason: 'spam' })).toEqual([
      write(account, 'pageBlock', 'later', { blocked: true, blockReason: 'spam', blockChangedAt: at }),
    ]);
    expect(stateChanges({ ...base, type: 'page_policy', account: page, action: 'unblock' })).toEqual([
      write(account, 'pageBlock', 'later', { blocked: false, blockReason: undefined, blockChangedAt: at }),
    ]);
  });

  it("a phone number's quality: one register per number, named by its digits", () => {
    const account = { entity: 'account' as const, account: phone };
    expect(stateChanges({ ...base, type: 'phone_quality', account: phone, displayPhoneNumber: '+1 555-078 3881', event: 'FLAGGED', messagingLimit: 'TIER_1K' })).toEqual([
      write(account, 'phoneQuality_15550783881', 'later', { phoneQuality_15550783881: JSON.stringify({ event: 'FLAGGED', messagingLimit: 'TIER_1K', at }) }),
    ]);
    expect(registersOf({ ...base, type: 'phone_quality', account: phone, event: 'ONBOARDING' })).toEqual(['phoneQuality_unknown']);
  });

  it('an account update: one register per kind of event, its name made safe', () => {
    const restrictions = [{ type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiresAt: at + 1000 }];
    expect(stateChanges({ ...base, type: 'account_update', account: phone, event: 'ACCOUNT.RESTRICTION', restrictions, violationType: 'SPAM', banState: 'NONE' })).toEqual([
      write({ entity: 'account', account: phone }, 'accountUpdate_ACCOUNT_RESTRICTION', 'later', {
        accountUpdate_ACCOUNT_RESTRICTION: JSON.stringify({ at, restrictions, violationType: 'SPAM', banState: 'NONE' }),
      }),
    ]);
  });

  it('an account update: a kind of event named at length keeps a register name of at most 60 characters', () => {
    const event = `ACCOUNT.${'X'.repeat(80)}`;
    expect(registersOf({ ...base, type: 'account_update', account: phone, event })).toEqual([`accountUpdate_ACCOUNT_${'X'.repeat(52)}`]);
  });

  it("an account error: the last error on the account first, then what it means for the account's sends", () => {
    const writes = stateChanges({ ...base, type: 'account_error', account: phone, code: 131031, title: 'Business account locked' });
    expect(writes[0]).toEqual(write({ entity: 'account', account: phone }, 'lastMetaError', 'later', { lastMetaErrorCode: 131031, lastMetaErrorTitle: 'Business account locked', lastMetaErrorAt: at }));
    expect(writes.slice(1).map((w) => w.register)).toEqual(['sendingPause']);
  });

  it('a thread control request records who asked without changing the owner; a pass changes the owner', () => {
    expect(stateChanges({ ...base, type: 'thread_control', contact: person, action: 'request', newOwnerAppId: 'app-2' })).toEqual([
      write(contactTarget(person), 'threadRequest', 'later', { threadRequestedBy: 'app-2', threadRequestAt: at }),
    ]);
    expect(stateChanges({ ...base, type: 'thread_control', contact: person, action: 'pass', newOwnerAppId: 'app-2', holder: 'other_app', newOwnerRole: 'secondary' })).toEqual([
      write(contactTarget(person), 'threadControl', 'later', {
        threadControlAction: 'pass',
        threadOwnerAppId: 'app-2',
        threadControlAt: at,
        threadHolder: 'other_app',
        threadOwnerRole: 'secondary',
      }),
    ]);
  });

  it("a number change: the new ids, the change, and a link from each previous id to the person's record, never from the record to itself", () => {
    const now = { ...phone, userId: '4915199999999' };
    const writes = stateChanges({
      ...base,
      type: 'identity_change',
      contact: now,
      change: 'number',
      current: { waId: '4915199999999' },
      previous: { waId: '4915112345678', bsuid: BSUID },
    });
    expect(writes.filter((w) => w.register === 'link')).toEqual([
      write(contactTarget({ ...phone, userId: '4915112345678' }), 'link', 'later', { linkedUserId: '4915199999999' }),
      write(contactTarget({ ...phone, userId: BSUID }), 'link', 'later', { linkedUserId: '4915199999999' }),
    ]);
    const sameId = stateChanges({ ...base, type: 'identity_change', contact: now, change: 'user_id', current: { waId: '4915199999999' }, previous: { waId: '4915199999999' } });
    expect(sameId.filter((w) => w.register === 'link')).toEqual([]);
  });

  it('an opt-in keeps its details, and its origin first-wins, named by channel', () => {
    const target = { entity: 'opt_in' as const, contact: person, token: 'tok-1' };
    expect(stateChanges({ ...base, type: 'opt_in', contact: person, token: 'tok-1', change: 'opt_in', title: 'Weekly deals', payload: 'deals', timezone: 'Europe/Berlin' })).toEqual([
      write(target, 'optInStatus', 'later', { status: 'active', lastChange: 'opt_in', statusChangedAt: at }),
      write(target, 'optInDetails', 'later', {
        title: 'Weekly deals',
        payload: 'deals',
        topic: 'deals',
        timezone: 'Europe/Berlin',
        frequency: undefined,
        tokenExpiresAt: undefined,
        userTokenStatus: undefined,
      }),
      write(target, 'optInOrigin', 'earlier', { optedInAt: at, source: 'messenger:messaging_optins', sourceEventKey: KEY }),
    ]);
  });

  it('a stop or resume for a token never seen opted in keeps only the label the event carries, its topic from the payload first', () => {
    const target = { entity: 'opt_in' as const, contact: person, token: 'tok-2' };
    const change = (over: { change: 'stop' | 'resume'; title?: string; payload?: string }) => stateChanges({ ...base, type: 'opt_in', contact: person, token: 'tok-2', ...over });
    expect(change({ change: 'stop', title: 'Weekly deals', payload: 'deals' })).toEqual([
      write(target, 'optInStatus', 'later', { status: 'stopped', lastChange: 'stop', statusChangedAt: at }),
      write(target, 'optInLabel', 'earlier', { topic: 'deals', title: 'Weekly deals', payload: 'deals' }),
    ]);
    expect(change({ change: 'resume', title: 'Weekly deals' })).toEqual([
      write(target, 'optInStatus', 'later', { status: 'active', lastChange: 'resume', statusChangedAt: at }),
      write(target, 'optInLabel', 'earlier', { topic: 'Weekly deals', title: 'Weekly deals' }),
    ]);
    expect(change({ change: 'stop', payload: 'deals' })[1]).toEqual(write(target, 'optInLabel', 'earlier', { topic: 'deals', payload: 'deals' }));
    // A field the event does not carry is not written at all (an empty one would erase the opt-in's own).
    expect(Object.keys(change({ change: 'stop', payload: 'deals' })[1]?.fields ?? {})).toEqual(['topic', 'payload']);
    expect(Object.keys(change({ change: 'resume', title: 'Weekly deals' })[1]?.fields ?? {})).toEqual(['topic', 'title']);
    expect(registersOf({ ...base, type: 'opt_in', contact: person, token: 'tok-2', change: 'resume' })).toEqual(['optInStatus']);
  });
});

describe('what a status writes', () => {
  const status = (over: Partial<MessageStatusEvent>): MessageStatusEvent => ({ ...base, type: 'message_status', messageId: 'wamid.1', status: 'delivered', ...over });

  it('prices the message at the rank of the status it came with', () => {
    expect(stateChanges(status({ status: 'sent', pricing: { category: 'marketing', type: 'regular', pricingModel: 'PMP', billable: true } }))).toContainEqual(
      write({ entity: 'message', messageId: 'wamid.1' }, 'pricing', 'later', { pricingCategory: 'marketing', pricingType: 'regular', pricingModel: 'PMP', billable: true }, 1),
    );
  });

  it('tells the outbox record the outcome, its error code included, and writes no message item for it', () => {
    const outbox = { entity: 'outbox' as const, outboxId: OUTBOX };
    const pricing = { category: 'marketing', type: 'regular', pricingModel: 'PMP', billable: false };
    expect(stateChanges(status({ status: 'failed', callbackData: OUTBOX, error: { code: 131026, title: 'Message undeliverable' }, pricing }))).toEqual([
      { ...write(outbox, 'delivery', 'earlier', { deliveryErrorCode: 131026 }, 2), order: compactOrder },
      { ...write(outbox, 'messageId', 'least', { messageId: 'wamid.1' }), order: compactOrder },
      // The failure flags the funnel's milestone with it (set where absent: counted once).
      { ...write(outbox, 'failure', 'later', { failureCode: 131026, failureTitle: 'Message undeliverable' }), order: compactOrder, flags: ['failed'] },
      { ...write(outbox, 'pricing', 'later', { pricingCategory: 'marketing', pricingType: 'regular', pricingModel: 'PMP', billable: false }, 2), order: compactOrder },
    ]);
    // Callback data that names no outbox record (another app's) keeps the message item.
    expect(registersOf(status({ status: 'delivered', callbackData: 'their-own-data' }))).toEqual(['status', 'callback']);
  });

  it("learns the recipient's ids from a sent or failed status, not from a delivered or read one", () => {
    const ids = { waId: waPerson.userId, bsuid: BSUID };
    expect(registersOf(status({ status: 'sent', contact: waPerson, identities: ids }))).toEqual(expect.arrayContaining(['waId', 'bsuid', 'link']));
    expect(registersOf(status({ status: 'delivered', contact: waPerson, identities: ids }))).not.toContain('waId');
    expect(registersOf(status({ status: 'read', contact: waPerson, identities: ids }))).not.toContain('bsuid');
  });

  it("learns the ids only when the sender didn't have them: its callback data tags the ids it found stored", () => {
    const ids = { waId: waPerson.userId, bsuid: BSUID };
    const identityOf = (event: MessageStatusEvent) => stateChanges(event).filter((w) => ['waId', 'bsuid', 'link'].includes(w.register));
    for (const s of ['sent', 'failed'] as const) {
      expect(identityOf(status({ status: s, contact: waPerson, identities: ids, callbackData: callbackDataFor(OUTBOX, ids) }))).toEqual([]);
      // A status naming another id than the sender knew (a BSUID it hadn't seen) writes them all, as without a tag.
      const stale = callbackDataFor(OUTBOX, { waId: waPerson.userId });
      expect(identityOf(status({ status: s, contact: waPerson, identities: ids, callbackData: stale }))).toEqual(identityOf(status({ status: s, contact: waPerson, identities: ids, callbackData: OUTBOX })));
      expect(identityOf(status({ status: s, contact: waPerson, identities: ids, callbackData: stale })).map((w) => w.register)).toEqual(['waId', 'bsuid', 'link']);
    }
    // The tagged callback data still names the outbox record.
    expect(stateChanges(status({ status: 'sent', callbackData: callbackDataFor(OUTBOX, ids) }))[0]?.target).toEqual({ entity: 'outbox', outboxId: OUTBOX });
  });

  it("records what a failure says about the person, on the template's own account when Meta names its WABA", () => {
    const failed = stateChanges(
      status({ status: 'failed', contact: waPerson, account: phone, businessAccountId: '102290129340398', template: { name: 'weekly_deals', language: 'de' }, error: { code: 132015 } }),
    );
    expect(failed.find((w) => w.register === 'templateStatus')).toMatchObject({
      target: { entity: 'template', account: { channel: 'whatsapp', accountId: '102290129340398' }, name: 'weekly_deals', language: 'de' },
      fields: { status: 'PAUSED' },
    });
    // Without the WABA's id, the template is looked for on the sending account.
    const onPhone = stateChanges(status({ status: 'failed', contact: waPerson, account: phone, template: { name: 'weekly_deals', language: 'de' }, error: { code: 132015 } }));
    expect(onPhone.find((w) => w.register === 'templateStatus')?.target).toMatchObject({ account: phone });
    // A failure without a code says nothing more than that it failed.
    expect(registersOf(status({ status: 'failed', contact: waPerson, account: phone }))).toEqual(['status', 'failure', 'recipient']);
    // Nor does one naming neither the account nor the person: there is nobody to hold it against.
    expect(registersOf(status({ status: 'failed', error: { code: 131049 } }))).toEqual(['status', 'failure']);
  });

  it("takes an error carried by a status other than failed as no failure: the person's marketing is not held", () => {
    for (const s of ['sent', 'delivered', 'read'] as const) {
      expect(registersOf(status({ status: s, contact: waPerson, account: phone, error: { code: 131049 } }))).not.toContain('marketingPause');
    }
    expect(registersOf(status({ status: 'failed', contact: waPerson, account: phone, error: { code: 131049 } }))).toContain('marketingPause');
  });
});
