/**
 * Interface under test: reconcileTemplates, a template listing as register writes. Writes are folded
 * with the registers' rule (a write lands only when its order beats the stored one), the rule the
 * DynamoDB adapter enforces with conditions, so ordering against webhooks is checked here too.
 */
import type { AccountRef, WebhookEvent } from '../../../lambdas/domain/events';
import { stateChanges } from '../../../lambdas/domain/state-changes';
import type { RegisterWrite } from '../../../lambdas/domain/state-writes';
import {
  ABSENT_FROM_LISTING,
  type KnownTemplate,
  type ListedTemplate,
  MAX_COMPONENTS_JSON,
  reconcileTemplates,
  type TemplateSnapshot,
} from '../../../lambdas/domain/templates/reconcile-templates';

const WABA: AccountRef = { channel: 'whatsapp', accountId: '102290129340398' };
const T0 = Date.UTC(2026, 11, 1, 12);
const MINUTE = 60_000;

type Record = { [field: string]: unknown };

/** Folds writes into template records keyed `name#language`, as conditional UpdateItems would. */
const fold = (writes: readonly RegisterWrite[], records = new Map<string, Record>()): Map<string, Record> => {
  for (const w of writes) {
    if (w.target.entity !== 'template') continue;
    const key = `${w.target.name}#${w.target.language}`;
    const record = records.get(key) ?? {};
    const stored = record[`${w.register}Order`] as string | undefined;
    const beats = stored === undefined || (w.wins === 'later' ? stored < w.order : stored > w.order);
    if (!beats) continue;
    record[`${w.register}Order`] = w.order;
    for (const [field, value] of Object.entries(w.fields)) {
      if (value === undefined) delete record[field];
      else record[field] = value;
    }
    records.set(key, record);
  }
  return records;
};

const knownOf = (records: Map<string, Record>): KnownTemplate[] =>
  [...records.entries()].map(([key, r]) => {
    const [name = '', language = ''] = key.split('#');
    return { name, language, status: r.status as string, category: r.category as string, quality: r.quality as string, components: r.components as string };
  });

const listed = (name: string, extra: Partial<ListedTemplate> = {}): ListedTemplate => ({
  templateId: `9${name.length}01`,
  name,
  language: 'de',
  status: 'APPROVED',
  category: 'UTILITY',
  quality: 'GREEN',
  components: [{ type: 'BODY', text: `Hallo {{1}} (${name})` }],
  ...extra,
});

const snapshot = (templates: ListedTemplate[], at: number, complete = true): TemplateSnapshot => ({
  account: WABA,
  startedAt: at,
  complete,
  items: templates.map((template) => ({ template, fetchedAt: at })),
});

/** Meta's entry.time is whole seconds; the normaliser turns it into ms. */
const statusWebhook = (name: string, status: string, at: number): WebhookEvent => ({
  type: 'template_status',
  eventKey: `whatsapp#${WABA.accountId}#tpl-status#${name}#${status}#${Math.floor(at / 1000)}`,
  occurredAt: Math.floor(at / 1000) * 1000,
  account: WABA,
  name,
  language: 'de',
  status,
  reason: 'NONE',
});

describe('reconcileTemplates', () => {
  it('writes status, category, quality, components and id of a template only Meta knew, on the webhooks’ registers', () => {
    const { writes, counts } = reconcileTemplates(snapshot([listed('order_update')], T0), []);

    expect(writes.map((w) => w.register).sort()).toEqual(
      ['templateCategory', 'templateComponents', 'templateIdentity', 'templateQuality', 'templateStatus', 'templateSync'].sort(),
    );
    expect(fold(writes).get('order_update#de')).toMatchObject({
      status: 'APPROVED',
      statusAt: T0,
      category: 'UTILITY',
      quality: 'GREEN',
      templateId: '91201',
      components: JSON.stringify([{ type: 'BODY', text: 'Hallo {{1}} (order_update)' }]),
      syncedAt: T0,
    });
    expect(counts).toEqual({ listed: 1, created: 1, changed: 0, unchanged: 0, deleted: 0, oversizedComponents: 0 });
  });

  it('orders every write at the time its page was fetched, so the same snapshot again changes nothing', () => {
    const later = T0 + MINUTE;
    const first = reconcileTemplates(
      { account: WABA, startedAt: T0, complete: true, items: [{ template: listed('a'), fetchedAt: T0 }, { template: listed('b'), fetchedAt: later }] },
      [],
    );
    const status = (name: string) => first.writes.find((w) => w.register === 'templateStatus' && w.target.entity === 'template' && w.target.name === name);
    expect((status('b')?.order ?? '') > (status('a')?.order ?? '')).toBe(true);

    const records = fold(first.writes);
    const again = reconcileTemplates(
      { account: WABA, startedAt: T0, complete: true, items: [{ template: listed('a'), fetchedAt: T0 }, { template: listed('b'), fetchedAt: later }] },
      knownOf(records),
    );
    expect(fold(again.writes, structuredClone(records))).toEqual(records);
    expect(again.counts).toMatchObject({ created: 0, changed: 0, unchanged: 2 });
  });

  it('lets a newer webhook win over an older snapshot, whichever arrives first', () => {
    const snap = reconcileTemplates(snapshot([listed('promo')], T0), []).writes;
    const paused = stateChanges(statusWebhook('promo', 'PAUSED', T0 + MINUTE));

    expect(fold([...snap, ...paused]).get('promo#de')?.status).toBe('PAUSED');
    expect(fold([...paused, ...snap]).get('promo#de')?.status).toBe('PAUSED');
  });

  it('lets a newer snapshot win over an older webhook, whichever arrives first', () => {
    const paused = stateChanges(statusWebhook('promo', 'PAUSED', T0));
    const snap = reconcileTemplates(snapshot([listed('promo', { status: 'APPROVED' })], T0 + MINUTE), []).writes;

    expect(fold([...paused, ...snap]).get('promo#de')?.status).toBe('APPROVED');
    expect(fold([...snap, ...paused]).get('promo#de')?.status).toBe('APPROVED');
  });

  it('lets the webhook win a tie: Meta’s template webhooks carry whole seconds only', () => {
    const snap = reconcileTemplates(snapshot([listed('promo')], T0), []).writes;
    const paused = stateChanges(statusWebhook('promo', 'PAUSED', T0));

    expect(fold([...snap, ...paused]).get('promo#de')?.status).toBe('PAUSED');
    expect(fold([...paused, ...snap]).get('promo#de')?.status).toBe('PAUSED');
  });

  it('marks a known template DELETED when a complete listing no longer shows it, and not when the listing was partial', () => {
    const known: KnownTemplate[] = [
      { name: 'kept', language: 'de', status: 'APPROVED' },
      { name: 'gone', language: 'de', status: 'APPROVED' },
      { name: 'long_gone', language: 'de', status: 'DELETED' },
    ];

    const complete = reconcileTemplates(snapshot([listed('kept')], T0), known);
    const records = fold(complete.writes);
    expect(records.get('gone#de')).toMatchObject({ status: 'DELETED', statusReason: ABSENT_FROM_LISTING, statusAt: T0 });
    expect(records.has('long_gone#de')).toBe(false);
    expect(complete.counts).toMatchObject({ listed: 1, deleted: 1 });

    const partial = reconcileTemplates(snapshot([listed('kept')], T0, false), known);
    expect(fold(partial.writes).has('gone#de')).toBe(false);
    expect(partial.counts.deleted).toBe(0);
  });

  it('does not delete a template whose webhook is newer than the listing’s start (created while it was read)', () => {
    const approved = stateChanges(statusWebhook('fresh', 'APPROVED', T0 + 2000));
    const records = fold(approved);
    const { writes } = reconcileTemplates(snapshot([], T0), knownOf(records));

    expect(fold(writes, records).get('fresh#de')?.status).toBe('APPROVED');
  });

  it('counts changed and unchanged templates, and notes the previous quality when the listing changes it', () => {
    const records = fold(reconcileTemplates(snapshot([listed('a'), listed('b')], T0), []).writes);
    const { writes, counts } = reconcileTemplates(snapshot([listed('a'), listed('b', { quality: 'YELLOW' })], T0 + MINUTE), knownOf(records));

    expect(counts).toMatchObject({ listed: 2, created: 0, changed: 1, unchanged: 1 });
    expect(fold(writes, records).get('b#de')).toMatchObject({ quality: 'YELLOW', previousQuality: 'GREEN', qualityAt: T0 + MINUTE });
  });

  it('keeps Meta’s rejection reason but not NONE, and writes no quality for Messenger templates', () => {
    const page: AccountRef = { channel: 'messenger', accountId: '1234567890123456' };
    const { writes } = reconcileTemplates(
      {
        account: page,
        startedAt: T0,
        complete: true,
        items: [
          { template: { name: 'order_shipped', language: 'en_US', status: 'APPROVED', category: 'UTILITY', rejectedReason: 'NONE' }, fetchedAt: T0 },
          { template: { name: 'bad', language: 'en_US', status: 'REJECTED', category: 'UTILITY', rejectedReason: 'INVALID_FORMAT' }, fetchedAt: T0 },
        ],
      },
      [],
    );
    const records = fold(writes);
    expect(records.get('order_shipped#en_US')).not.toHaveProperty('statusReason');
    expect(records.get('bad#en_US')).toMatchObject({ status: 'REJECTED', statusReason: 'INVALID_FORMAT' });
    expect(writes.some((w) => w.register === 'templateQuality')).toBe(false);
    expect(writes.every((w) => w.target.entity === 'template' && w.target.account === page)).toBe(true);
  });

  it('counts a template listed twice once, as its later sighting', () => {
    const { writes, counts } = reconcileTemplates(
      {
        account: WABA,
        startedAt: T0,
        complete: true,
        items: [
          { template: listed('dup', { status: 'PENDING' }), fetchedAt: T0 },
          { template: listed('dup', { status: 'APPROVED' }), fetchedAt: T0 + 1000 },
        ],
      },
      [],
    );
    expect(counts.listed).toBe(1);
    expect(fold(writes).get('dup#de')?.status).toBe('APPROVED');
  });

  it('stores the rest of a template whose components are too large to keep', () => {
    const huge = [{ type: 'BODY', text: 'x'.repeat(MAX_COMPONENTS_JSON) }];
    const { writes, counts } = reconcileTemplates(snapshot([listed('huge', { components: huge })], T0), []);

    expect(counts.oversizedComponents).toBe(1);
    expect(fold(writes).get('huge#de')).toMatchObject({ status: 'APPROVED' });
    expect(fold(writes).get('huge#de')).not.toHaveProperty('components');
  });
});
