import type { AccountRef } from '../domain/events';
import type { ListedTemplate } from '../domain/templates/reconcile-templates';

export interface TemplateListingRequest {
  /** Where the templates live: the WABA (WhatsApp) or the Page (Messenger). */
  owner: AccountRef;
  /** The registered account whose access token reads them: a phone number of that WABA, or the Page. */
  tokenAccount: AccountRef;
  /** The previous page's `after` cursor; absent: the first page. */
  after?: string;
  /** Templates per page (Graph's `limit`). */
  limit?: number;
}

export interface TemplateListingPage {
  templates: ListedTemplate[];
  /** Items of the page that weren't readable templates (no name, language or status). */
  unreadable: number;
  /** The cursor of the next page; absent on the last one (Graph sends no `paging.next` there). */
  after?: string;
}

/** Meta's listing of an account's templates, one page at a time. */
export interface TemplateCatalog {
  /** Throws `TemplateCatalogError` when Meta refuses or can't be reached. */
  listPage(request: TemplateListingRequest): Promise<TemplateListingPage>;
}

export interface TemplateCatalogFailure {
  /** Meta's error code (190: the token; 100: the id, …), when Meta answered with one. */
  code?: number;
  httpStatus?: number;
  /** The request never got an answer. */
  transport?: 'timeout' | 'unreachable';
}

/** A listing Meta refused or didn't answer. Its message never carries a token. */
export class TemplateCatalogError extends Error {
  constructor(
    message: string,
    readonly failure: TemplateCatalogFailure,
  ) {
    super(message);
    this.name = 'TemplateCatalogError';
  }
}
