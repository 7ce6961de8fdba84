import { createHmac } from 'node:crypto';
import type { AccountRef } from '../../domain/events';
import type { ListedTemplate } from '../../domain/templates/reconcile-templates';
import type { AccessTokens } from '../../ports/access-tokens';
import { TemplateCatalogError, type TemplateCatalog, type TemplateListingPage, type TemplateListingRequest } from '../../ports/template-catalog';
import { listedTemplateSchema, templateListingPageSchema } from '../../schemas/template-listing';

export interface GraphTemplateCatalogOptions {
  /** `https://graph.facebook.com`, or the simulator's URL locally. */
  baseUrl: string;
  /** e.g. `v25.0`. */
  version: string;
  tokens: AccessTokens;
  /** When set, every call carries `appsecret_proof`, as the sender's do. */
  appSecret?: () => Promise<string | undefined>;
  timeoutMs?: number;
}

/** Graph's default page is 25; 100 keeps a WABA's 250 templates (6,000 when verified) to a few calls. */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * The fields each listing is asked for. Graph returns only default fields otherwise, and
 * `quality_score` isn't one of them; Page templates (Messenger Business Template) have no quality.
 */
const FIELDS: Record<AccountRef['channel'], string> = {
  whatsapp: 'id,name,language,status,category,quality_score,components,rejected_reason',
  messenger: 'id,name,language,status,category,components,rejected_reason',
  instagram: 'id,name,language,status,category,components',
};

type MetaErrorBody = { error?: { code?: unknown; message?: unknown; fbtrace_id?: unknown } };

/**
 * Meta's template listings over Node's fetch: `GET /{version}/{waba_id|page_id}/message_templates`
 * with `fields`, `limit` and the `after` cursor, the token as a Bearer header (never in the URL, so
 * never in a log line) and `appsecret_proof`.
 */
export class GraphTemplateCatalog implements TemplateCatalog {
  constructor(private readonly options: GraphTemplateCatalogOptions) {}

  async listPage(request: TemplateListingRequest): Promise<TemplateListingPage> {
    const { owner, tokenAccount } = request;
    let token: string;
    let secret: string | undefined;
    try {
      token = await this.options.tokens.tokenFor(tokenAccount);
      secret = await this.options.appSecret?.();
    } catch (error) {
      throw new TemplateCatalogError(`credentials unavailable: ${(error as Error).message}`, { transport: 'unreachable' });
    }
    const query = new URLSearchParams({ fields: FIELDS[owner.channel], limit: String(request.limit ?? DEFAULT_PAGE_SIZE) });
    if (request.after !== undefined) query.set('after', request.after);
    if (secret) query.set('appsecret_proof', createHmac('sha256', secret).update(token).digest('hex'));
    const url = `${this.options.baseUrl}/${this.options.version}/${encodeURIComponent(owner.accountId)}/message_templates?${query.toString()}`;

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      text = await response.text();
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      const transport = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable';
      throw new TemplateCatalogError(`template listing of ${owner.channel}:${owner.accountId} got no answer (${transport})`, { transport });
    }
    const body = parseJson(text);
    if (!response.ok) {
      const error = (body as MetaErrorBody | undefined)?.error;
      const code = typeof error?.code === 'number' ? error.code : undefined;
      const message = typeof error?.message === 'string' ? error.message.slice(0, 300) : `HTTP ${response.status}`;
      const trace = typeof error?.fbtrace_id === 'string' ? ` (fbtrace_id ${error.fbtrace_id.slice(0, 64)})` : '';
      throw new TemplateCatalogError(`Meta refused the template listing of ${owner.channel}:${owner.accountId}: ${message}${trace}`, {
        code,
        httpStatus: response.status,
      });
    }
    const page = templateListingPageSchema.safeParse(body);
    if (!page.success) {
      throw new TemplateCatalogError(`unreadable template listing of ${owner.channel}:${owner.accountId}`, { httpStatus: response.status });
    }
    const templates: ListedTemplate[] = [];
    let unreadable = 0;
    for (const item of page.data.data) {
      const parsed = listedTemplateSchema.safeParse(item);
      if (parsed.success) templates.push(toListedTemplate(parsed.data));
      else unreadable += 1;
    }
    const after = nextCursor(page.data.paging);
    // A next page without a cursor can't be read: not the last page, so never a complete listing.
    if (after === null) throw new TemplateCatalogError(`template listing of ${owner.channel}:${owner.accountId} names a next page without a cursor`, { httpStatus: response.status });
    return { templates, unreadable, ...(after === undefined ? {} : { after }) };
  }
}

/**
 * Graph: "If `next` is not included, this is the last page of data" (undefined). The next page's
 * cursor is `paging.cursors.after`, else the `after` in `next`; null when neither is readable.
 */
const nextCursor = (paging: { cursors?: { after?: string }; next?: string } | undefined): string | undefined | null => {
  if (paging?.next === undefined) return undefined;
  if (paging.cursors?.after !== undefined) return paging.cursors.after;
  try {
    return new URL(paging.next).searchParams.get('after');
  } catch {
    return null;
  }
};

const toListedTemplate = (t: ReturnType<typeof listedTemplateSchema.parse>): ListedTemplate => {
  const quality = typeof t.quality_score === 'string' ? t.quality_score : t.quality_score?.score;
  return {
    ...(t.id === undefined ? {} : { templateId: String(t.id) }),
    name: t.name,
    language: t.language,
    status: t.status,
    ...(t.category === undefined ? {} : { category: t.category }),
    ...(quality === undefined ? {} : { quality }),
    ...(t.components === undefined ? {} : { components: t.components }),
    ...(t.rejected_reason === undefined ? {} : { rejectedReason: t.rejected_reason }),
  };
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
