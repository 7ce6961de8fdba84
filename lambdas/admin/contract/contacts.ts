import * as z from 'zod';
import { CONSENT_BASES } from '../../domain/consent/consent-record';
import { ChannelSchema } from '../../schemas/account';
import { ContactProfileSchema } from '../../schemas/contact-profile';
import { ContactPath, cursor, limit, MessagePath, nextCursor } from './params';
import type { RouteTable } from './route-contract';
import { OutboxView } from './sends';
import { MaybeTime, Until } from './times';

const Window = z.object({
  lastInboundAt: MaybeTime,
  openedBy: z.string().nullable(),
  open: z.boolean(),
  closesAt: MaybeTime,
  humanAgentUntil: MaybeTime.meta({ description: 'Messenger and Instagram: HUMAN_AGENT replies until then' }),
});

const OptIn = z.object({
  token: z.string().optional(),
  topic: z.string().nullable(),
  title: z.string().nullable(),
  payload: z.string().nullable(),
  status: z.string().optional(),
  timezone: z.string().nullable(),
  frequency: z.string().nullable(),
  tokenExpiresAt: MaybeTime,
  userTokenStatus: z.string().nullable(),
  optedInAt: MaybeTime,
  source: z.string().nullable(),
  statusChangedAt: MaybeTime,
});

const Handoff = z
  .object({
    active: z.boolean().meta({ description: 'A human has the conversation now: automation answers nothing until `until`' }),
    source: z.enum(['keyword', 'payload', 'admin', 'agent_reply', 'echo', 'resume']).meta({
      description: 'What started it: the person (a keyword or the AFTERCHAT_HUMAN payload), an admin call, an agent’s reply through POST /admin/sends, a reply from another tool (an echo); `resume` once an admin ended it',
    }),
    since: MaybeTime,
    until: MaybeTime.meta({ description: 'When automation speaks again unless an admin resumes it earlier or Meta reports the thread handed back to afterchat (then `active` is false); null after a resume' }),
    keyword: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'Handoff' });

const Consents = z
  .array(
    z.object({
      topic: z.string(),
      basis: z.enum(CONSENT_BASES).meta({ description: '`express`: the person agreed; `implied`: an imported soft opt-in, kept as provenance (it makes no imported contact sendable)' }),
      source: z.enum(['whatsapp_keyword', 'whatsapp_button', 'import']),
      sourceDetail: z.string().optional().meta({ description: 'An imported consent: where it was captured, in the CRM’s words' }),
      capturedAt: MaybeTime,
      textShown: z.string().meta({ description: 'The consent prompt or form text the person was shown' }),
      answer: z.string().optional().meta({ description: 'The consent keyword or button payload the person sent (WhatsApp capture; an import has none)' }),
    }),
  )
  .meta({ description: 'Marketing consent per topic with its provenance (WhatsApp consent capture or a CSV import), oldest first: the latest per topic' });

/** What the business knows of the person, as `PUT …/profile` replaced it last. */
const ProfileFields = z.object({
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.string()).meta({ description: 'Including `firstName` and `locale` where the business set them' }),
  timeZone: z.string().optional(),
  country: z.string().optional(),
});

const Contact = z.object({
  channel: ChannelSchema,
  accountId: z.string(),
  userId: z.string(),
  window: Window,
  optIns: z.array(OptIn),
  marketingOptOut: z.boolean().meta({ description: 'Meta’s stop (WhatsApp user_preferences, 131050) or a STOP keyword the person wrote' }),
  marketingPreferenceAt: MaybeTime,
  keywordOptOut: z
    .object({ keyword: z.string().nullable(), eventKey: z.string().nullable(), at: MaybeTime })
    .nullable()
    .meta({ description: 'The STOP keyword that opted the person out (automation), until a START' }),
  consents: Consents,
  handoff: Handoff.nullable().meta({ description: 'The human handoff, the last one if it ended; null when there never was one' }),
  marketingPausedUntil: Until,
  unreachableUntil: Until,
  identities: z.object({ waId: z.string().nullable(), bsuid: z.string().nullable() }).optional().meta({ description: 'WhatsApp only' }),
  lastOutboundAt: MaybeTime,
  deliveredUpTo: MaybeTime,
  readUpTo: MaybeTime,
  threadControl: z.object({ action: z.string(), ownerAppId: z.string().nullable(), ownerRole: z.string().nullable(), at: MaybeTime }).nullable(),
  threadHolder: z
    .object({ holder: z.enum(['this_app', 'other_app', 'meta_business_agent']), since: MaybeTime, source: z.enum(['handover', 'standby_message', 'message']), role: z.string().nullable() })
    .nullable(),
  threadRequest: z.object({ requestedBy: z.string().nullable(), at: MaybeTime }).nullable(),
  adReferral: z.object({ at: MaybeTime, adId: z.string().nullable(), source: z.string().nullable(), ctwaClid: z.string().nullable() }).nullable(),
  updatedAt: MaybeTime.meta({ description: 'Meta’s time of the newest event the record reflects' }),
  linkedFrom: z.string().optional().meta({ description: 'The id asked for, when the person’s record is kept under another (a BSUID linked to a wa_id)' }),
  profile: ProfileFields,
});

const Message = z.object({
  messageId: z.string(),
  status: z.string().optional(),
  errorCode: z.number().nullable().optional(),
  errorTitle: z.string().nullable().optional(),
  pricing: z.object({ category: z.string().nullable(), type: z.string().nullable(), model: z.string().nullable() }).nullable(),
  channel: z.string().nullable(),
  accountId: z.string().nullable(),
  userId: z.string().nullable(),
  callbackData: z.string().nullable(),
  updatedAt: MaybeTime,
});

const Profile = ProfileFields.extend({
  channel: ChannelSchema,
  accountId: z.string(),
  userId: z.string(),
  linkedFrom: z.string().optional(),
});

const ProfileView = Profile.extend({ consents: Consents });

/** Stored items as DynamoDB holds them, their index attributes left out: `pk` and `sk` say what each is. */
const StoredItems = z.array(z.record(z.string(), z.unknown()));

const ContactExport = z.object({
  channel: ChannelSchema,
  accountId: z.string(),
  userId: z.string(),
  exportedAt: z.iso.datetime(),
  userIds: z.array(z.string()).meta({ description: 'Every id afterchat holds the person under (WhatsApp: wa_id, BSUID and former ones)' }),
  contact: Contact.nullable().meta({ description: 'The contact view (GET /admin/contacts/…), on the first page; null on later ones' }),
  records: StoredItems.meta({ description: 'On the first page: every item of the person’s contact records (state with profile, consent, keyword opt-out, handoff and marketing ledger; opt-ins; tags)' }),
  sends: StoredItems.meta({ description: 'Outbox records of sends to the person, with their text and statuses' }),
  messageStatuses: StoredItems.meta({ description: 'Statuses of messages afterchat didn’t send that name the person' }),
  events: StoredItems.meta({ description: 'Webhook event records naming the person (kept 30 days by default)' }),
  quarantined: StoredItems.meta({ description: 'Webhook items set aside that name the person, whole' }),
  importRows: StoredItems.meta({ description: 'Rows of CSV imports that created or updated the person: the import, the line, the outcome and the names of the fields it wrote' }),
  clicks: StoredItems.meta({ description: 'Clicks of the person on tracking links and buttons of messages afterchat sent them: the message, what was clicked, when. Their reads are on the sends (`delivery`, `fm_read`)' }),
  conversions: StoredItems.meta({ description: 'Orders the shop reported for the person (`order.placed`), with the message each was attributed to' }),
  customerKeys: StoredItems.meta({ description: 'Lookup items of the shop’s customer id their profile carries (the value hashed), by which an order finds them' }),
  cursor: nextCursor.meta({ description: 'More of the person’s items follow: ask again with it. Absent on the last page' }),
});

const Erasure = z.object({
  channel: ChannelSchema,
  accountId: z.string(),
  erasedAt: z.iso.datetime(),
  ids: z.number().int().meta({ description: 'How many ids the person was held under (the one asked for and those its records linked)' }),
  tombstones: z.array(z.string()).meta({ description: 'One per id: SHA-256 (hex) of `<channel>#<accountId>#<userId>`' }),
  removed: z
    .object({
      contactRecords: z.number().int(),
      optIns: z.number().int(),
      tags: z.number().int(),
      otherContactItems: z.number().int(),
      sends: z.number().int(),
      messageStatuses: z.number().int(),
      events: z.number().int(),
      quarantined: z.number().int(),
      importRows: z.number().int(),
      limiterItems: z.number().int(),
    })
    .meta({ description: 'Items removed, by kind' }),
  total: z.number().int().meta({ description: 'Items removed in all: 0 when the person was already erased' }),
});

const ContactHandoff = z.object({ channel: ChannelSchema, accountId: z.string(), userId: z.string(), handoff: Handoff });
const ContactResumed = ContactHandoff.extend({
  threadControl: z.enum(['taken', 'failed', 'not_passed', 'not_configured']).meta({
    description:
      'Messenger/Instagram thread control: `taken` back from the app a handoff passed it to; `failed` when Meta refused (logged, metric ThreadControlFailed; the resume stands, and the person’s next message on standby tries again); `not_passed` when no handoff passed it (or it came back already); `not_configured` when the account names no `handoff.threadControl`, on WhatsApp, or where the admin API has no Graph API access',
  }),
});

export const contactContract = {
  'GET /admin/contacts/{channel}/{accountId}/{userId}': {
    operationId: 'getContact',
    summary: 'What afterchat knows of a person: window, opt-ins, marketing state, thread control',
    path: ContactPath,
    responses: { 200: Contact },
    errors: { 404: 'contact not found' },
  },
  'GET /admin/contacts/{channel}/{accountId}/{userId}/sends': {
    operationId: 'listContactSends',
    summary: 'A person’s sends, newest first',
    path: ContactPath,
    query: z.object({ limit: limit(20), cursor }),
    responses: { 200: z.object({ sends: z.array(OutboxView), cursor: nextCursor }) },
  },
  'GET /admin/contacts/{channel}/{accountId}/{userId}/profile': {
    operationId: 'getProfile',
    summary: 'A person’s tags, attributes, time zone, country and marketing consents with their provenance',
    path: ContactPath,
    responses: { 200: ProfileView },
    errors: { 404: 'contact not found' },
  },
  'GET /admin/contacts/{channel}/{accountId}/{userId}/export': {
    operationId: 'exportContact',
    summary: 'Everything afterchat holds about a person, as stored (the GDPR access request)',
    description:
      'The contact records of every id the person is held under, and the items the person index (gsi2 `P#…`) names: sends (with their reads and clicks, the touches conversions are attributed to), message statuses, webhook events, quarantined items, import rows, clicks, conversions and customer id lookups. Each answer holds at most 200 of those items and about 4 MB; `cursor` continues (the CLI’s `contacts export` follows it and writes one file). Admin level: it hands out the texts sent to the person, which no viewer read shows. The viewer and operator policies deny it explicitly, as their grants on a contact would reach it (an IAM `*` matches `/`).',
    path: ContactPath,
    query: z.object({ cursor }),
    responses: { 200: ContactExport },
    errors: { 400: 'the cursor is not one this export gave', 404: 'contact not found', 503: 'export is not configured' },
  },
  'DELETE /admin/contacts/{channel}/{accountId}/{userId}': {
    operationId: 'eraseContact',
    summary: 'Erases a person: every item holding their data, under every id they are held under; a tombstone stays',
    description:
      'Removes the contact records (state with profile, consents, ledger; opt-ins; tags) of the id asked for and of every id its records link (WhatsApp: wa_id and BSUIDs), the sends, message statuses, webhook event records and quarantined items the person index (gsi2 `P#…`) files under those ids, and the send limiter’s items naming them; index entries go with their items. Keeps one tombstone per id (SHA-256 of `<channel>#<accountId>#<userId>`) so an import can’t bring the person back unasked; a message from the person starts afresh. Idempotent: again, it removes nothing and answers zero counts. Point-in-time-recovery backups keep the items until they expire.',
    path: ContactPath,
    responses: { 200: Erasure },
    errors: { 503: 'erasure is not configured' },
  },
  'PUT /admin/contacts/{channel}/{accountId}/{userId}/profile': {
    operationId: 'putProfile',
    summary: 'Replaces a person’s tags, attributes, time zone and country',
    path: ContactPath,
    body: { name: 'profile', schema: ContactProfileSchema },
    responses: { 200: Profile },
  },
  'POST /admin/contacts/{channel}/{accountId}/{userId}/handoff': {
    operationId: 'startHandoff',
    summary: 'Hands the conversation to a human now: automation stays quiet for the person',
    description:
      'Until the account’s `handoff.timeoutHours` from now, or a DELETE. A handoff that starts puts `handoff.requested` on the business bus; one already live only gets its timeout moved. Nothing is sent to the person. Send `{}` or `{"note": "…"}`.',
    path: ContactPath,
    body: { name: 'handoff', schema: z.object({ note: z.string().trim().min(1).max(500).optional().meta({ description: 'Why, for whoever takes it (on the bus event)' }) }).strict() },
    responses: { 200: ContactHandoff },
    errors: { 404: 'contact not found' },
  },
  'DELETE /admin/contacts/{channel}/{accountId}/{userId}/handoff': {
    operationId: 'endHandoff',
    summary: 'Returns the conversation to automation now',
    description:
      'Ends a live handoff, whatever started it; a keyword, an echo or an agent’s reply after it starts a new one. Where a handoff passed the Messenger/Instagram thread to the account’s `handoff.threadControl` app, takes it back (`take_thread_control`).',
    path: ContactPath,
    responses: { 200: ContactResumed },
    errors: { 404: 'contact not found' },
  },
  'GET /admin/messages/{messageId}': {
    operationId: 'getMessage',
    summary: 'What Meta reported about a message',
    description: 'Messages another app on the number sent, and Messenger/Instagram messages. afterchat’s own WhatsApp sends keep what Meta reported on the send: `GET /admin/sends/{outboxId}` (here 404).',
    path: MessagePath,
    responses: { 200: Message },
    errors: { 404: 'message not found' },
  },
} as const satisfies RouteTable;
