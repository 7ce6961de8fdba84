import * as z from 'zod';
import { AttributeNameSchema, TagSchema } from '../../schemas/user-keys';
import { AccountPath, accountId, channel, cursor, limit, nextCursor } from './params';
import type { RouteTable } from './route-contract';
import { MaybeTime } from './times';

/** The header naming the next CSV page's cursor: the body is rows only, so pages concatenate into one file. */
export const CSV_CURSOR_HEADER = 'x-afterchat-cursor';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

/** `name:value`: the attribute's name up to the first colon, its value (maybe empty, maybe with colons) after. */
const attribute = z
  .string()
  .max(1200)
  .transform((text, ctx) => {
    const colon = text.indexOf(':');
    const name = AttributeNameSchema.safeParse(colon < 0 ? '' : text.slice(0, colon));
    if (colon < 0 || !name.success) {
      ctx.addIssue({ code: 'custom', message: 'name:value, e.g. city:Leipzig, with a valid attribute name' });
      return z.NEVER;
    }
    return { name: name.data, value: text.slice(colon + 1) };
  });

export const ContactSearchQuery = z.object({
  tag: TagSchema.optional().meta({ description: 'Contacts carrying this tag (read from the tag’s listing)' }),
  attribute: attribute.optional().meta({ description: 'Contacts whose attribute equals a value: `name:value`' }),
  topic: z.string().min(1).max(200).optional().meta({ description: 'Holders of a Messenger/Instagram opt-in token for this topic (read from the topic’s listing)' }),
  optInStatus: z.enum(['active', 'stopped']).optional().meta({ description: 'With `topic`: only tokens in this state' }),
  marketingOptOut: flag.optional().meta({ description: '`true`: only contacts who stopped marketing (Meta’s stop or a STOP keyword); `false`: only the others' }),
  windowOpen: flag.optional().meta({ description: '`true`: only contacts whose 24 h window is open now; `false`: only those whose window is closed' }),
  lastInboundWithinDays: z.coerce.number<string>().int().min(1).max(3650).optional().meta({ description: 'Only contacts who wrote within this many days' }),
  format: z.enum(['json', 'csv']).default('json').meta({ description: '`csv`: the same page as CSV (`text/csv`), its continuation in the `x-afterchat-cursor` header, the header row on the first page only' }),
  limit: limit(50),
  cursor,
});

const FoundContact = z.object({
  channel: z.string(),
  accountId: z.string(),
  userId: z.string(),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.string()),
  timeZone: z.string().nullable(),
  window: z.object({ open: z.boolean(), lastInboundAt: MaybeTime }),
  marketingOptOut: z.boolean().meta({ description: 'Meta’s stop (WhatsApp user_preferences, 131050) or a STOP keyword the person wrote' }),
  optIns: z.array(z.object({ topic: z.string().nullable(), status: z.enum(['active', 'stopped']) })),
});

const SearchAnswer = z.object({
  contacts: z.array(FoundContact),
  scanned: z.number().int().meta({ description: 'Index entries (contacts) read for this page' }),
  cursor: nextCursor,
});

/** The account as query parameters, for `GET /admin/contacts?channel=…&accountId=…`. */
const AccountQuery = ContactSearchQuery.extend({ channel, accountId }).superRefine((value, ctx) => {
  const parsed = AccountPath.safeParse({ channel: value.channel, accountId: value.accountId });
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

export const contactSearchContract = {
  'GET /admin/contacts': {
    operationId: 'searchContactsByQuery',
    summary: 'The same search with the account as query parameters (`channel`, `accountId`)',
    description:
      'As `GET /admin/contacts/{channel}/{accountId}`, which it answers exactly. An IAM policy scoped to some accounts reaches only the path form (its resources name the account in the path).',
    query: AccountQuery,
    responses: { 200: SearchAnswer },
    errors: { 400: 'the cursor is not one this search gave', 503: 'search is not configured' },
  },
  'GET /admin/contacts/{channel}/{accountId}': {
    operationId: 'searchContacts',
    summary: 'An account’s contacts matching a campaign audience’s filters, paged',
    description:
      'The filters are a campaign audience’s (one definition, lambdas/domain/audience/audience-filter.ts): the answer is who a campaign with that audience on this account would consider. Served by the audience index, never a table scan: the topic’s listing, else the tag’s, else the account’s, across its 64 shards; each listed contact is read and held to every filter. A page reads at most 1,000 index entries (`scanned`), so a sparse filter may answer fewer than `limit` contacts, even none, with a `cursor`: follow it until it is absent.',
    path: AccountPath,
    query: ContactSearchQuery,
    responses: { 200: SearchAnswer },
    errors: { 400: 'the cursor is not one this search gave', 503: 'search is not configured' },
  },
} as const satisfies RouteTable;
