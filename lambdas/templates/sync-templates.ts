import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Clock } from '../domain/clock';
import type { AccountRef } from '../domain/events';
import { type FetchedTemplate, type KnownTemplate, type ReconcileCounts, reconcileTemplates } from '../domain/templates/reconcile-templates';
import type { AccountRegistry } from '../ports/account-registry';
import type { StateStore, TemplateRecord } from '../ports/state-store';
import { type TemplateCatalog, TemplateCatalogError, type TemplateCatalogFailure } from '../ports/template-catalog';
import { resolveTemplateSource, type SourceRefusal, type TemplateSource, templateSources } from './template-sources';

export interface TemplateSyncDeps {
  catalog: TemplateCatalog;
  store: StateStore;
  accounts: AccountRegistry;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** Templates per page (default 100). */
  pageSize?: number;
  /** Pages read per account before giving up on completeness (default 100: 10,000 templates, above Meta's 6,000 per WABA). */
  maxPages?: number;
}

/** What one account's sync saw and did. */
export interface TemplateSyncResult {
  /** Where the templates live: the WABA (WhatsApp) or the Page (Messenger). */
  account: AccountRef;
  /** When the listing's first page was asked for (ISO-8601): the snapshot's time. */
  fetchedAt: string;
  pages: number;
  /** Every page read: only then are missing templates marked DELETED. */
  complete: boolean;
  counts: ReconcileCounts & { unreadable: number };
  /** Why the listing stopped early; what was read before is still reconciled. */
  error?: { message: string } & TemplateCatalogFailure;
}

export interface TemplateSyncAllResult {
  results: TemplateSyncResult[];
  /** Registered accounts whose templates nobody lists: Instagram, numbers without a wabaId. */
  withoutTemplates: AccountRef[];
  /** Sources whose sync failed in afterchat itself (storage); the others still ran. */
  failed: { account: AccountRef; message: string }[];
}

export class TemplateSyncRefused extends Error {
  constructor(readonly refusal: SourceRefusal) {
    super(refusal.detail);
    this.name = 'TemplateSyncRefused';
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const knownOf = (t: TemplateRecord): KnownTemplate => ({
  name: t.name,
  language: t.language,
  status: str(t.status),
  category: str(t.category),
  quality: str(t.quality),
  components: str(t.components),
});

/**
 * Template sync: reads an account's templates from Meta, page by page, and reconciles them into
 * the stored template records as register writes ordered by when each page was fetched (see
 * `reconcileTemplates`). The scheduled job syncs every source; the admin route and the CLI one.
 */
export const createTemplateSync = (deps: TemplateSyncDeps) => {
  const pageSize = deps.pageSize ?? 100;
  const maxPages = deps.maxPages ?? 100;

  const syncSource = async (source: TemplateSource): Promise<TemplateSyncResult> => {
    const startedAt = deps.clock();
    const items: FetchedTemplate[] = [];
    let unreadable = 0;
    let pages = 0;
    let after: string | undefined;
    let complete = false;
    let error: TemplateSyncResult['error'];
    try {
      do {
        const fetchedAt = pages === 0 ? startedAt : deps.clock();
        const page = await deps.catalog.listPage({ owner: source.owner, tokenAccount: source.tokenAccount, after, limit: pageSize });
        pages += 1;
        unreadable += page.unreadable;
        items.push(...page.templates.map((template) => ({ template, fetchedAt })));
        after = page.after;
      } while (after !== undefined && pages < maxPages);
      // Only a last page without a next one makes the listing complete (not the page cap).
      complete = after === undefined;
    } catch (caught) {
      if (!(caught instanceof TemplateCatalogError)) throw caught;
      error = { message: caught.message, ...caught.failure };
    }
    const known = (await deps.store.listTemplates(source.owner)).map(knownOf);
    const { writes, counts } = reconcileTemplates({ account: source.owner, startedAt, complete, items }, known);
    await deps.store.apply(writes);

    const result: TemplateSyncResult = {
      account: source.owner,
      fetchedAt: new Date(startedAt).toISOString(),
      pages,
      complete,
      counts: { ...counts, unreadable },
      ...(error ? { error } : {}),
    };
    // Business account ids and counts only: never a token, never a person.
    const log = { account: source.owner, pages, complete, counts: result.counts };
    if (error) deps.logger.error('template sync stopped early', { ...log, error });
    else if (!complete) deps.logger.warn('template sync read its page limit; nothing marked DELETED', { ...log, maxPages });
    else deps.logger.info('templates synced', log);
    deps.metrics?.addMetric('TemplatesListed', MetricUnit.Count, counts.listed);
    deps.metrics?.addMetric('TemplatesMarkedDeleted', MetricUnit.Count, counts.deleted);
    if (error) deps.metrics?.addMetric('TemplateSyncFailed', MetricUnit.Count, 1);
    return result;
  };

  return {
    /** One account: a Page, a WABA, or a phone number (its WABA is synced). Throws `TemplateSyncRefused`. */
    async syncAccount(ref: AccountRef): Promise<TemplateSyncResult> {
      const source = await resolveTemplateSource(deps.accounts, ref);
      if ('reason' in source) throw new TemplateSyncRefused(source);
      return syncSource(source);
    },

    /** Every WABA and Page of the registry, one after the other (each a few calls; Graph rate limits are per app). */
    async syncAll(): Promise<TemplateSyncAllResult> {
      const { sources, withoutSource } = templateSources(await deps.accounts.list());
      const results: TemplateSyncResult[] = [];
      const failed: TemplateSyncAllResult['failed'] = [];
      for (const source of sources) {
        try {
          results.push(await syncSource(source));
        } catch (error) {
          deps.logger.error('template sync failed', { account: source.owner, errorName: (error as Error).name, errorMessage: (error as Error).message });
          deps.metrics?.addMetric('TemplateSyncFailed', MetricUnit.Count, 1);
          failed.push({ account: source.owner, message: (error as Error).message });
        }
      }
      return { results, withoutTemplates: withoutSource, failed };
    },
  };
};

export type TemplateSync = ReturnType<typeof createTemplateSync>;
