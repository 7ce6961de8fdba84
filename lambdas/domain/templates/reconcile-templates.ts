import type { AccountRef } from '../events';
import { orderOf, type RegisterWrite, type StateTarget } from '../state-writes';

/**
 * One template as Meta lists it: WhatsApp `GET /{waba_id}/message_templates` (WhatsApp Business
 * Account Message Templates reference) or Messenger `GET /{page_id}/message_templates` (Page Message
 * Templates reference, the utility-messages templates).
 */
export interface ListedTemplate {
  /** Meta's template id (a numeric string). */
  templateId?: string;
  name: string;
  language: string;
  /** Meta's status word, as the status webhook uses it: APPROVED, PAUSED, REJECTED, … */
  status: string;
  category?: string;
  /** WhatsApp's `quality_score.score`: GREEN, YELLOW, RED or UNKNOWN. Messenger lists none. */
  quality?: string;
  components?: readonly unknown[];
  /** `rejected_reason`; Meta answers `NONE` when there is none. */
  rejectedReason?: string;
}

/** A listed template and the time its page was fetched: its order against the webhooks. */
export interface FetchedTemplate {
  template: ListedTemplate;
  fetchedAt: number;
}

/** What one listing of an account's templates saw. */
export interface TemplateSnapshot {
  /** Where the templates live: the WABA for WhatsApp, the Page for Messenger. */
  account: AccountRef;
  /** When the listing's first page was asked for: the order of "absent from the listing". */
  startedAt: number;
  /** Every page was read (the last one had no `paging.next`). Only a complete listing shows a deletion. */
  complete: boolean;
  items: readonly FetchedTemplate[];
}

/** What afterchat knew of a template before the snapshot (the stored record's fields). */
export interface KnownTemplate {
  name: string;
  language: string;
  status?: string;
  category?: string;
  quality?: string;
  /** JSON, as the `templateComponents` register stores it. */
  components?: string;
}

export interface ReconcileCounts {
  /** Distinct templates in the listing. */
  listed: number;
  /** Listed, not known before. */
  created: number;
  /** Listed and known, with a different status, category, quality or components. */
  changed: number;
  unchanged: number;
  /** Known, not DELETED, absent from a complete listing: marked DELETED. */
  deleted: number;
  /** Components whose JSON exceeds `MAX_COMPONENTS_JSON`, not stored (the rest of the template is). */
  oversizedComponents: number;
}

export interface Reconciliation {
  writes: RegisterWrite[];
  counts: ReconcileCounts;
}

/** A DynamoDB item holds 400 KB; Meta's largest templates (10 carousel cards) stay far below this. */
export const MAX_COMPONENTS_JSON = 64 * 1024;

/** Why a template is DELETED when only the listing says so. */
export const ABSENT_FROM_LISTING = 'ABSENT_FROM_LISTING';

/**
 * The snapshot's identity in the order. `!` sorts before every webhook event key (they start with the
 * channel's name), so at the very same millisecond the webhook wins: Meta's template webhooks carry
 * whole seconds only, so the event may well have happened after the page was read.
 */
const snapshotKey = (account: AccountRef): string => `!sync#${account.channel}#${account.accountId}`;

const templateKey = (name: string, language: string): string => `${name}#${language}`;

/**
 * A snapshot as register writes on the same registers the template webhooks write
 * (`templateStatus`, `templateCategory`, `templateQuality`), ordered by the time each page was
 * fetched. So a newer webhook still wins over an older snapshot, and a newer snapshot over an older
 * webhook, whatever order they arrive in. Components go on a register of their own.
 *
 * A template afterchat knows but the listing doesn't show is marked DELETED only when the listing
 * was complete, ordered at the listing's start: a template created meanwhile (its webhook is newer)
 * stays as it is. A partial listing (a page failed, or the page cap) deletes nothing.
 *
 * Pure: the same snapshot and records give the same writes, and applying them again changes nothing.
 */
export const reconcileTemplates = (snapshot: TemplateSnapshot, known: readonly KnownTemplate[]): Reconciliation => {
  const { account } = snapshot;
  const key = snapshotKey(account);
  const knownByKey = new Map(known.map((t) => [templateKey(t.name, t.language), t]));
  const latest = new Map<string, FetchedTemplate>();
  // A template listed twice (the listing shifted between pages) counts once, as its later sighting.
  for (const item of snapshot.items) {
    const k = templateKey(item.template.name, item.template.language);
    const seen = latest.get(k);
    if (seen === undefined || item.fetchedAt >= seen.fetchedAt) latest.set(k, item);
  }

  const counts: ReconcileCounts = { listed: latest.size, created: 0, changed: 0, unchanged: 0, deleted: 0, oversizedComponents: 0 };
  const writes: RegisterWrite[] = [];
  for (const [k, { template, fetchedAt }] of latest) {
    const target: StateTarget = { entity: 'template', account, name: template.name, language: template.language };
    const order = orderOf(fetchedAt, key);
    const before = knownByKey.get(k);
    const components = template.components === undefined ? undefined : JSON.stringify(template.components);
    const oversized = components !== undefined && components.length > MAX_COMPONENTS_JSON;
    if (oversized) counts.oversizedComponents += 1;

    writes.push(
      later(target, 'templateStatus', order, { status: template.status, statusReason: reasonOf(template.rejectedReason), statusAt: fetchedAt }),
      later(target, 'templateSync', order, { syncedAt: fetchedAt }),
    );
    if (template.category !== undefined) writes.push(later(target, 'templateCategory', order, { category: template.category, categoryAt: fetchedAt }));
    if (template.quality !== undefined) {
      const previous = before?.quality !== undefined && before.quality !== template.quality ? { previousQuality: before.quality } : {};
      writes.push(later(target, 'templateQuality', order, { quality: template.quality, ...previous, qualityAt: fetchedAt }));
    }
    if (components !== undefined && !oversized) writes.push(later(target, 'templateComponents', order, { components, componentsAt: fetchedAt }));
    // Like the webhooks' identity: the first id seen is kept.
    if (template.templateId !== undefined) writes.push({ target, register: 'templateIdentity', order, wins: 'earlier', fields: { templateId: template.templateId } });

    if (before === undefined) counts.created += 1;
    else if (differs(before, template, oversized ? undefined : components)) counts.changed += 1;
    else counts.unchanged += 1;
  }

  if (snapshot.complete) {
    const order = orderOf(snapshot.startedAt, key);
    for (const [k, t] of knownByKey) {
      if (latest.has(k) || t.status?.toUpperCase() === 'DELETED') continue;
      counts.deleted += 1;
      writes.push(
        later({ entity: 'template', account, name: t.name, language: t.language }, 'templateStatus', order, {
          status: 'DELETED',
          statusReason: ABSENT_FROM_LISTING,
          statusAt: snapshot.startedAt,
        }),
      );
    }
  }
  return { writes, counts };
};

const reasonOf = (reason: string | undefined): string | undefined => (reason === undefined || reason.toUpperCase() === 'NONE' ? undefined : reason);

const differs = (before: KnownTemplate, listed: ListedTemplate, components: string | undefined): boolean =>
  before.status !== listed.status ||
  (listed.category !== undefined && before.category !== listed.category) ||
  (listed.quality !== undefined && before.quality !== listed.quality) ||
  (components !== undefined && before.components !== components);

const later = (target: StateTarget, register: string, order: string, fields: RegisterWrite['fields']): RegisterWrite => ({
  target,
  register,
  order,
  wins: 'later',
  fields,
});
