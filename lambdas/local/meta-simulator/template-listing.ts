/**
 * `GET /{version}/{waba_id}/message_templates` (WhatsApp) and `GET /{version}/{page_id}/message_templates`
 * (Messenger utility templates): the templates registered with `setTemplate`, paged with Graph's
 * cursors (`limit`, `after`; `paging.next` only when there is a next page) and filtered to `fields`.
 */
import { createHash } from 'node:crypto';
import { type GraphError, invalidParameter } from './errors';
import type { SimulatorConfig } from './options';
import type { RegisteredTemplate, SimulatorState } from './simulator-state';

const LISTING_PATH = /^\/(?<version>v\d+\.\d+)\/(?<ownerId>[^/]+)\/message_templates\/?$/;

export interface ListingEndpoint {
  version: string;
  /** The WABA id or the Page id. */
  ownerId: string;
}

export const matchListing = (pathname: string): ListingEndpoint | undefined => {
  const groups = LISTING_PATH.exec(pathname)?.groups;
  return groups?.version && groups.ownerId ? { version: groups.version, ownerId: groups.ownerId } : undefined;
};

/** Graph's default page size, and the largest `limit` the simulator takes. */
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;
/** What Meta returns without `fields` (the reference's sample response). */
const DEFAULT_FIELDS = ['name', 'components', 'language', 'status', 'category', 'id'];
const KNOWN_FIELDS = new Set([...DEFAULT_FIELDS, 'quality_score', 'rejected_reason', 'parameter_format']);

/** The WABA (or Page) a template belongs to: as registered, else its number's WABA, else the sending account itself. */
const ownerOf = (t: RegisteredTemplate, config: SimulatorConfig): string => t.owner ?? config.whatsappNumbers.get(t.accountId)?.wabaId ?? t.accountId;

/** A stable numeric id, as Meta assigns one when the template is created. */
const templateId = (owner: string, t: RegisteredTemplate): string =>
  t.id ?? String(BigInt(`0x${createHash('sha256').update(`${owner}#${t.name}#${t.language}`).digest('hex').slice(0, 13)}`));

/**
 * Whose tokens may read the owner's templates: the owner's own (a system-user or Page token) and
 * those of the WABA's phone numbers, as the simulator knows them from `whatsappNumbers` and from
 * the templates registered on them.
 */
export const listingTokenOwners = (state: SimulatorState, config: SimulatorConfig, ownerId: string): string[] => {
  const numbers = [...config.whatsappNumbers].filter(([, n]) => n.wabaId === ownerId).map(([id]) => id);
  const registeredOn = state.allTemplates().filter((t) => ownerOf(t, config) === ownerId).map((t) => t.accountId);
  return [...new Set([ownerId, ...numbers, ...registeredOn])];
};

const encodeCursor = (offset: number): string => Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): number | undefined => {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
};

export type ListingOutcome = { error: GraphError } | { body: unknown };

export const listTemplates = (
  ctx: { config: SimulatorConfig; state: SimulatorState; now: number },
  endpoint: ListingEndpoint,
  url: URL,
  baseUrl: string,
): ListingOutcome => {
  const { config, state } = ctx;
  const limitParam = url.searchParams.get('limit');
  const limit = limitParam === null ? DEFAULT_LIMIT : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return { error: invalidParameter(`Param limit must be an integer between 1 and ${MAX_LIMIT}`) };
  const after = url.searchParams.get('after');
  const start = after === null ? 0 : decodeCursor(after);
  if (start === undefined) return { error: invalidParameter('Param after is not a valid cursor') };
  const fieldsParam = url.searchParams.get('fields');
  const fields = fieldsParam === null ? DEFAULT_FIELDS : fieldsParam.split(',').map((f) => f.trim()).filter((f) => f.length > 0);
  const unknown = fields.find((f) => !KNOWN_FIELDS.has(f));
  if (unknown !== undefined) return { error: invalidParameter(`Tried accessing nonexisting field (${unknown}) on node type (message_templates)`) };

  // One entry per name and language, whichever of the WABA's numbers it was registered on.
  const templates = new Map<string, RegisteredTemplate>();
  for (const t of state.allTemplates()) if (ownerOf(t, config) === endpoint.ownerId) templates.set(`${t.name}#${t.language}`, t);
  const all = [...templates.values()];
  const page = all.slice(start, start + limit);
  const data = page.map((t) => {
    const onNumber = config.whatsappNumbers.has(t.accountId) || t.owner !== undefined;
    const full: Record<string, unknown> = {
      name: t.name,
      components: t.components ?? [{ type: 'BODY', text: `Template ${t.name}` }],
      language: t.language,
      status: t.status,
      category: t.category,
      id: templateId(endpoint.ownerId, t),
      rejected_reason: 'NONE',
      parameter_format: 'POSITIONAL',
      // WhatsApp rates every template (UNKNOWN until rated); Page templates have no quality.
      ...(t.quality !== undefined || onNumber ? { quality_score: { score: t.quality ?? 'UNKNOWN', date: Math.floor(ctx.now / 1000) } } : {}),
    };
    return Object.fromEntries(fields.filter((f) => f in full).map((f) => [f, full[f]]));
  });
  if (page.length === 0) return { body: { data } };
  const end = start + page.length;
  const query = (cursor: string) => {
    const q = new URLSearchParams({ limit: String(limit), after: cursor });
    if (fieldsParam !== null) q.set('fields', fieldsParam);
    return `${baseUrl}/${endpoint.version}/${endpoint.ownerId}/message_templates?${q.toString()}`;
  };
  return {
    body: {
      data,
      paging: {
        cursors: { before: encodeCursor(start), after: encodeCursor(end) },
        // Like Graph: `next` only when there is a next page (and never with the caller's token in it).
        ...(end < all.length ? { next: query(encodeCursor(end)) } : {}),
      },
    },
  };
};
