import type { AccountRef } from '../../domain/events';
import type { ListedTemplate } from '../../domain/templates/reconcile-templates';
import { TemplateCatalogError, type TemplateCatalog, type TemplateListingPage, type TemplateListingRequest } from '../../ports/template-catalog';

const ownerKey = (a: AccountRef): string => `${a.channel}#${a.accountId}`;

/**
 * Meta's template listings in memory, for unit tests: the same paging and refusals as the Graph
 * adapter (the shared contract suite runs against both). `access` says which accounts' tokens may
 * read an owner's templates (a WABA's phone numbers; a Page itself); an owner not named there may be
 * read by any account.
 */
export class InMemoryTemplateCatalog implements TemplateCatalog {
  private readonly templates = new Map<string, ListedTemplate[]>();
  /** Calls made, for tests that count pages. */
  readonly calls: TemplateListingRequest[] = [];
  /** When set, the next call throws it (then it is cleared). */
  failNext: TemplateCatalogError | undefined;

  constructor(private readonly access: Record<string, readonly string[]> = {}) {}

  /** Adds or replaces (by name and language) a template of the owner. */
  put(owner: AccountRef, template: ListedTemplate): void {
    const list = (this.templates.get(ownerKey(owner)) ?? []).filter((t) => t.name !== template.name || t.language !== template.language);
    this.templates.set(ownerKey(owner), [...list, { ...template }]);
  }

  remove(owner: AccountRef, name: string, language: string): void {
    this.templates.set(ownerKey(owner), (this.templates.get(ownerKey(owner)) ?? []).filter((t) => t.name !== name || t.language !== language));
  }

  listPage(request: TemplateListingRequest): Promise<TemplateListingPage> {
    this.calls.push(request);
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) return Promise.reject(failure);
    const allowed = this.access[request.owner.accountId];
    if (allowed !== undefined && !allowed.includes(request.tokenAccount.accountId)) {
      return Promise.reject(new TemplateCatalogError('Invalid OAuth access token', { code: 190, httpStatus: 400 }));
    }
    const limit = request.limit ?? 25;
    if (!Number.isInteger(limit) || limit < 1) return Promise.reject(new TemplateCatalogError('(#100) invalid limit', { code: 100, httpStatus: 400 }));
    const start = request.after === undefined ? 0 : Number(Buffer.from(request.after, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) return Promise.reject(new TemplateCatalogError('(#100) invalid cursor', { code: 100, httpStatus: 400 }));
    const all = this.templates.get(ownerKey(request.owner)) ?? [];
    const end = start + limit;
    const after = end < all.length ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined;
    return Promise.resolve({
      templates: all.slice(start, end).map((t) => ({ ...t })),
      unreadable: 0,
      ...(after === undefined ? {} : { after }),
    });
  }
}
