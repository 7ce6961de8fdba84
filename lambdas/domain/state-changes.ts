import type {
  AccountRef,
  AccountErrorEvent,
  AccountUpdateEvent,
  IdentityChangeEvent,
  ContactRef,
  InboundEvent,
  MessageStatusEvent,
  MessageStatusValue,
  OptInEvent,
  WebhookEvent,
  WhatsAppIdentities,
} from './events';
import { idsKnownAtSend, outboxIdOfCallback } from './send/callback-data';
import { classifyGraphError } from './send/classify-error';
import { statusFlags } from './measurement/status-flags';
import { storedFailureTitle } from './send/failure-title';
import { errorFeedback } from './send/send-feedback';
import { compactOrderOf, orderOf, type RegisterWrite, type StateTarget } from './state-writes';

/** Status only moves forward: sent → failed → delivered → read → played (a late delivery beats a failure: multi-device). */
export const STATUS_RANK: Record<MessageStatusValue, number> = { sent: 1, failed: 2, delivered: 3, read: 4, played: 5 };
/** The status a rank stands for (an outbox record stores its delivery status as the rank alone). */
export const statusOfRank = (rank: unknown): MessageStatusValue | undefined =>
  (Object.keys(STATUS_RANK) as MessageStatusValue[]).find((status) => STATUS_RANK[status] === rank);

/** Openers that count as the person writing, which is what HUMAN_AGENT's 7 days run from. */
const MESSAGE_OPENERS = new Set(['message', 'ad_referral']);

/**
 * What one webhook event does to afterchat's state, as register writes. Pure: the same event always
 * yields the same writes. Echoes, deliveries, reads, statuses and template events never touch the
 * conversation window.
 */
export const stateChanges = (event: WebhookEvent): RegisterWrite[] => {
  const order = orderOf(event.occurredAt, event.eventKey);
  const at = event.occurredAt;
  switch (event.type) {
    case 'inbound':
      return inboundWrites(event, order);
    case 'echo':
      return [
        later(contactOf(event.contact), 'lastOutbound', order, {
          lastOutboundAt: at,
          lastOutboundMessageId: event.messageId,
          lastOutboundAppId: event.appId,
        }),
        rankedStatus(event.messageId, 'sent', order, at),
        ...correlationWrites(event.messageId, event.contact, event.metadata, order),
        ...outboxReport(outboxIdOfCallback(event.metadata), { ...event, status: 'sent' }),
      ];
    case 'message_status':
      return statusWrites(event, order);
    case 'watermark': {
      const register = event.kind === 'delivered' ? 'deliveredWatermark' : 'readWatermark';
      return [later(contactOf(event.contact), register, orderOf(event.watermark, event.eventKey), { [register]: event.watermark })];
    }
    case 'opt_in':
      return optInWrites(event, order);
    case 'marketing_preference':
      return [
        later(contactOf(event.contact), 'marketingPreference', order, {
          marketingOptOut: event.value === 'stop',
          marketingPreferenceAt: at,
          marketingPreferenceCategory: event.category,
        }),
        ...identityWrites(event.contact, event.identities, order),
      ];
    case 'template_status': {
      const target = templateOf(event);
      return [
        later(target, 'templateStatus', order, { status: event.status, statusReason: event.reason, statusAt: at }),
        ...(event.category ? [later(target, 'templateCategory', order, { category: event.category, categoryAt: at })] : []),
        templateIdentity(target, event.templateId, order),
      ];
    }
    case 'template_quality': {
      const target = templateOf(event);
      return [
        later(target, 'templateQuality', order, { quality: event.quality, previousQuality: event.previousQuality, qualityAt: at }),
        templateIdentity(target, event.templateId, order),
      ];
    }
    case 'template_category': {
      const target = templateOf(event);
      // An impending notice (`correct_category`, ~24 h ahead; its `new_category` is the current one) only
      // records the coming change: the category sends are routed and priced by moves on completion.
      const completed = event.correctCategory === undefined;
      return [
        ...(completed ? [later(target, 'templateCategory', order, { category: event.category, categoryAt: at })] : []),
        later(target, 'templateRecategorisation', order, {
          previousCategory: event.previousCategory,
          correctCategory: event.correctCategory,
          recategorisedAt: at,
        }),
        templateIdentity(target, event.templateId, order),
      ];
    }
    case 'page_policy': {
      const target: StateTarget = { entity: 'account', account: event.account };
      return event.action === 'warning'
        ? [later(target, 'policyWarning', order, { lastWarningAt: at, lastWarningReason: event.reason })]
        : [later(target, 'pageBlock', order, { blocked: event.action === 'block', blockReason: event.reason, blockChangedAt: at })];
    }
    case 'phone_quality': {
      // One register per phone number: a WABA can hold several, each with its own quality.
      const register = `phoneQuality_${(event.displayPhoneNumber ?? 'unknown').replace(/[^0-9A-Za-z]/g, '')}`;
      return [
        later({ entity: 'account', account: event.account }, register, order, {
          [register]: JSON.stringify({ event: event.event, messagingLimit: event.messagingLimit, at }),
        }),
      ];
    }
    case 'account_update':
      return [accountUpdateWrite(event, order)];
    case 'account_error':
      return accountErrorWrites(event, order);
    case 'identity_change':
      return identityChangeWrites(event, order);
    case 'thread_control':
      // A request asks the owner to pass control; it does not change who owns the thread.
      return event.action === 'request'
        ? [later(contactOf(event.contact), 'threadRequest', order, { threadRequestedBy: event.newOwnerAppId, threadRequestAt: at })]
        : [
            later(contactOf(event.contact), 'threadControl', order, {
              threadControlAction: event.action,
              threadOwnerAppId: event.newOwnerAppId,
              threadControlAt: at,
              threadHolder: event.holder,
              threadOwnerRole: event.newOwnerRole,
            }),
          ];
    case 'noted':
      return [];
    // Counted in the funnel by the webhook (lambdas/clicks/count-webhook-clicks.ts): no state of its own.
    case 'marketing_click':
      return [];
  }
};

const inboundWrites = (event: InboundEvent, order: string): RegisterWrite[] => {
  const contact = contactOf(event.contact);
  const at = event.occurredAt;
  const writes = [
    later(contact, 'window', order, {
      lastInboundAt: at,
      openedBy: event.opener,
      lastInboundMessageId: event.messageId,
      // On standby another sender answers the thread; on the main field afterchat's app does.
      lastInboundStandby: event.standby === true,
    }),
  ];
  if (MESSAGE_OPENERS.has(event.opener)) writes.push(later(contact, 'lastMessage', order, { lastMessageAt: at }));
  if (event.adReferral) {
    writes.push(
      later(contact, 'adReferral', order, {
        lastAdReferralAt: at,
        adId: event.adReferral.adId,
        adSource: event.adReferral.source,
        ctwaClid: event.adReferral.ctwaClid,
      }),
    );
  }
  return [...writes, ...identityWrites(event.contact, event.identities, order)];
};

/**
 * A status is the bulk of afterchat's webhooks (about three per message sent). A message afterchat
 * sent names its outbox record in its callback data: everything the status says about the message
 * lands on that record in one UpdateItem (`outboxReport`), and no message item is written (the
 * send's view, its occurrence's funnel and the async error feedback all read the record). Statuses
 * of other messages (another app on the number, Messenger mids without callback data) keep the
 * message item (`messageReport`). The recipient's ids (`waId`, `bsuid`, the BSUID's link) are learnt
 * from `sent` and `failed`, the first report of every message, unless the sender found those very
 * ids stored when it sent (callback-data.ts): `delivered`, `read` and `played` repeat the same ids
 * and would rewrite the contact twice per status for nothing.
 */
const statusWrites = (event: MessageStatusEvent, order: string): RegisterWrite[] => {
  const outboxId = outboxIdOfCallback(event.callbackData);
  const writes = outboxId === undefined ? messageReport(event, order) : outboxReport(outboxId, event);
  if (event.contact && IDENTITY_STATUSES.has(event.status) && !idsKnownAtSend(event.callbackData, event.identities)) {
    writes.push(...identityWrites(event.contact, event.identities, order));
  }
  if (event.status === 'failed') writes.push(...asyncErrorFeedback(event, order));
  return writes;
};

/**
 * The message item's registers, in one UpdateItem on the hot path, statuses arriving in their
 * natural order: they are all ranked (`status`, `pricing`) or hold facts every report repeats
 * (`recipient`, `callback`, kept as `least`), so none of them refuses the next status; `failure`
 * is only written by a failure.
 */
const messageReport = (event: MessageStatusEvent, order: string): RegisterWrite[] => {
  const message: StateTarget = { entity: 'message', messageId: event.messageId };
  const writes = [rankedStatus(event.messageId, event.status, order, event.occurredAt)];
  if (event.status === 'failed') {
    writes.push(
      later(message, 'failure', order, { errorCode: event.error?.code, errorTitle: storedFailureTitle(event.error?.title), failedAt: event.occurredAt }),
    );
  }
  if (event.pricing) {
    // Ranked like the status it came with: Meta prices the message once, and a `delivered` carrying
    // pricing in the same second as the `sent` must not be refused for sorting before it.
    writes.push({ ...later(message, 'pricing', order, pricingFields(event.pricing)), rank: STATUS_RANK[event.status] });
  }
  writes.push(...correlationWrites(event.messageId, event.contact, event.callbackData, order));
  return writes;
};

/** The statuses the recipient's ids are learnt from: every message gets one of them first. */
const IDENTITY_STATUSES: ReadonlySet<MessageStatusValue> = new Set(['sent', 'failed']);

/**
 * Meta reports most refusals after accepting the message: a `failed` status with the same error
 * codes a send call can answer with. They go through the same error table and the same feedback
 * as the sender's, whoever sent the message (another app on the number too): they are facts about
 * the person, the template and the account.
 */
const asyncErrorFeedback = (event: MessageStatusEvent, order: string): RegisterWrite[] => {
  const code = event.error?.code;
  const account = event.account ?? (event.contact && { channel: event.contact.channel, accountId: event.contact.accountId });
  if (code === undefined || account === undefined) return [];
  const templateAccount: AccountRef = event.businessAccountId === undefined ? account : { channel: account.channel, accountId: event.businessAccountId };
  return errorFeedback({
    outcome: classifyGraphError({ channel: account.channel, code, requestSent: true }),
    code,
    account,
    contact: event.contact,
    template: event.template && { account: templateAccount, ...event.template },
    at: event.occurredAt,
    order,
  });
};

/**
 * A person's new ids: their new record learns them (and what they replace), and every previous id's
 * record links to the new key, so reading or sending to an old id reaches the same person. Parent
 * BSUIDs are per business portfolio: kept as facts, never as keys.
 */
const identityChangeWrites = (event: IdentityChangeEvent, order: string): RegisterWrite[] => {
  const { contact, current, previous } = event;
  const writes: RegisterWrite[] = [
    ...identityWrites(contact, { waId: current.waId, bsuid: current.bsuid }, order),
    later(contactOf(contact), 'identityChange', order, {
      identityChange: event.change,
      identityChangedAt: event.occurredAt,
      previousWaId: previous.waId,
      previousBsuid: previous.bsuid,
      parentBsuid: current.parentBsuid,
      previousParentBsuid: previous.parentBsuid,
    }),
  ];
  for (const oldId of [previous.waId, previous.bsuid]) {
    if (oldId !== undefined && oldId !== contact.userId) writes.push(later({ entity: 'contact', contact: { ...contact, userId: oldId } }, 'link', order, { linkedUserId: contact.userId }));
  }
  return writes;
};

/** A value-level error names no person: only what it says about the whole account applies. */
const accountErrorWrites = (event: AccountErrorEvent, order: string): RegisterWrite[] => [
  later({ entity: 'account', account: event.account }, 'lastMetaError', order, {
    lastMetaErrorCode: event.code,
    lastMetaErrorTitle: event.title,
    lastMetaErrorAt: event.occurredAt,
  }),
  ...errorFeedback({
    outcome: classifyGraphError({ channel: event.account.channel, code: event.code, requestSent: true }),
    code: event.code,
    account: event.account,
    at: event.occurredAt,
    order,
  }),
];

const optInWrites = (event: OptInEvent, order: string): RegisterWrite[] => {
  const target: StateTarget = { entity: 'opt_in', contact: event.contact, token: event.token };
  const writes = [
    later(target, 'optInStatus', order, {
      status: event.change === 'stop' ? 'stopped' : 'active',
      lastChange: event.change,
      statusChangedAt: event.occurredAt,
    }),
  ];
  if (event.change === 'opt_in') {
    writes.push(
      later(target, 'optInDetails', order, {
        title: event.title,
        payload: event.payload,
        topic: event.payload ?? event.title,
        timezone: event.timezone,
        frequency: event.frequency,
        tokenExpiresAt: event.tokenExpiresAt,
        userTokenStatus: event.userTokenStatus,
      }),
      earlier(target, 'optInOrigin', order, {
        optedInAt: event.occurredAt,
        source: `${event.contact.channel}:messaging_optins`,
        sourceEventKey: event.eventKey,
      }),
    );
  } else if (event.title !== undefined || event.payload !== undefined) {
    // A stop or resume for a token afterchat never saw opted in (subscribed before it was deployed):
    // Meta echoes the opt-in's title and payload, so the token keeps its topic. Only the fields the
    // event carries are written, and they are the opt-in's own, so they never contradict its details.
    const label: RegisterWrite['fields'] = { topic: event.payload ?? event.title };
    if (event.title !== undefined) label.title = event.title;
    if (event.payload !== undefined) label.payload = event.payload;
    writes.push(earlier(target, 'optInLabel', order, label));
  }
  return writes;
};

const accountUpdateWrite = (event: AccountUpdateEvent, order: string): RegisterWrite => {
  // One register per kind of account event, so a pricing-tier update never erases a restriction.
  const kind = event.event.replace(/[^A-Za-z0-9]/g, '_').slice(0, 60);
  return later({ entity: 'account', account: event.account }, `accountUpdate_${kind}`, order, {
    [`accountUpdate_${kind}`]: JSON.stringify({
      at: event.occurredAt,
      restrictions: event.restrictions,
      violationType: event.violationType,
      banState: event.banState,
    }),
  });
};

/**
 * WhatsApp contacts are keyed by wa_id when Meta sends one and by BSUID otherwise; both ids are kept
 * on the record, and a BSUID gets a link to the wa_id-keyed record so either id finds the contact.
 */
const identityWrites = (contact: ContactRef, ids: WhatsAppIdentities | undefined, order: string): RegisterWrite[] => {
  if (!ids) return [];
  const writes: RegisterWrite[] = [];
  if (ids.waId) writes.push(later(contactOf(contact), 'waId', order, { waId: ids.waId }));
  if (ids.bsuid) writes.push(later(contactOf(contact), 'bsuid', order, { bsuid: ids.bsuid }));
  if (ids.bsuid && ids.waId && contact.userId === ids.waId) {
    writes.push(later({ entity: 'contact', contact: { ...contact, userId: ids.bsuid } }, 'link', order, { linkedUserId: ids.waId }));
  }
  return writes;
};

/**
 * What a report about a message afterchat sent (a status, or a Messenger echo) says, on its outbox
 * record (`outboxId` from the callback data; nothing without one): the same registers as a message
 * item's, one UpdateItem, so a send that ended `unknown` is reconciled too. Every status rewrites
 * the record and DynamoDB bills the larger of its sizes before and after, so the record keeps it
 * under 1 KB: orders are `compactOrderOf`; the `delivery` register's rank is the status, and its
 * order (the `failure` register's too) starts with the status's time, so they store no other copy
 * of them (the adapter reads them back); Meta's message id is the record's own `messageId`, kept
 * `least` (a status repeats what the sender stored); the recipient and the callback data are the
 * record's already.
 */
const outboxReport = (
  outboxId: string | undefined,
  report: Pick<MessageStatusEvent, 'messageId' | 'status' | 'occurredAt' | 'eventKey' | 'error' | 'pricing'>,
): RegisterWrite[] => {
  if (outboxId === undefined) return [];
  const target: StateTarget = { entity: 'outbox', outboxId };
  const order = compactOrderOf(report.occurredAt, report.eventKey);
  const rank = STATUS_RANK[report.status];
  // One flag for any failure: two failed statuses of one message (another code each) must leave the
  // same record in any order; which bucket counted it is the first failure's (status-milestones.ts).
  const milestones = statusFlags(report.status, report.error?.code).map((m) => (m === 'limited' ? 'failed' : m));
  // On the register that lands when the status is news: a refused status's milestones were flagged by the one that beat it.
  const flags = milestones.length === 0 ? {} : { flags: milestones };
  const failed = report.status === 'failed';
  const writes: RegisterWrite[] = [
    // Within one rank the first report wins, so a re-delivered "delivered" keeps its original time.
    { target, register: 'delivery', wins: 'earlier', rank, order, fields: { deliveryErrorCode: report.error?.code }, ...(failed ? {} : flags) },
    least(target, 'messageId', order, { messageId: report.messageId }),
  ];
  if (failed) {
    // Its own names: the record's `errorCode` is the sender's. Its time is its order's, as the delivery's.
    writes.push({ ...later(target, 'failure', order, { failureCode: report.error?.code, failureTitle: storedFailureTitle(report.error?.title) }), ...flags });
  }
  if (report.pricing) writes.push({ ...later(target, 'pricing', order, pricingFields(report.pricing)), rank });
  return writes;
};

const pricingFields = (pricing: NonNullable<MessageStatusEvent['pricing']>): RegisterWrite['fields'] => ({
  pricingCategory: pricing.category,
  pricingType: pricing.type,
  pricingModel: pricing.pricingModel,
  billable: pricing.billable,
});

/**
 * Who a message went to, and the caller's correlation data: facts of the message, which every report
 * that names them repeats. Kept as `least` registers, so a repeat is a no-op rather than a refused
 * first-wins write, and reports that disagree (a status naming the BSUID, another the wa_id) settle on
 * the smallest value whatever their order: a wa_id (digits) before a BSUID (`CC.` + digits).
 */
const correlationWrites = (messageId: string, contact: ContactRef | undefined, callbackData: string | undefined, order: string): RegisterWrite[] => {
  const message: StateTarget = { entity: 'message', messageId };
  return [
    ...(contact ? [least(message, 'recipient', order, contactFields(contact))] : []),
    ...(callbackData ? [least(message, 'callback', order, { callbackData })] : []),
  ];
};

const rankedStatus = (messageId: string, status: MessageStatusValue, order: string, at: number): RegisterWrite => ({
  target: { entity: 'message', messageId },
  register: 'status',
  // Within one rank the first report wins, so a re-delivered "delivered" keeps its original time.
  wins: 'earlier',
  rank: STATUS_RANK[status],
  order,
  fields: { status, statusAt: at },
});

const templateIdentity = (target: StateTarget, templateId: string | undefined, order: string): RegisterWrite =>
  earlier(target, 'templateIdentity', order, { templateId });

const later = (target: StateTarget, register: string, order: string, fields: RegisterWrite['fields']): RegisterWrite => ({
  target,
  register,
  order,
  wins: 'later',
  fields,
});

const earlier = (target: StateTarget, register: string, order: string, fields: RegisterWrite['fields']): RegisterWrite => ({
  target,
  register,
  order,
  wins: 'earlier',
  fields,
});

const least = (target: StateTarget, register: string, order: string, fields: RegisterWrite['fields']): RegisterWrite => ({
  target,
  register,
  order,
  wins: 'least',
  fields,
});

const contactOf = (contact: ContactRef): StateTarget => ({ entity: 'contact', contact });

const contactFields = (contact: ContactRef) => ({
  channel: contact.channel,
  accountId: contact.accountId,
  userId: contact.userId,
});

const templateOf = (event: { account: AccountRef; name: string; language: string }): StateTarget => ({
  entity: 'template',
  account: event.account,
  name: event.name,
  language: event.language,
});
