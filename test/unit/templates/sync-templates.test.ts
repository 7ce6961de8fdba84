/**
 * Interface under test: createTemplateSync (syncAccount, syncAll) with the in-memory catalog and a
 * store that keeps template registers as the DynamoDB adapter does. The clock is injected.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { InMemoryTemplateCatalog } from '../../../lambdas/adapters/memory/template-catalog';
import type { AccountRef } from '../../../lambdas/domain/events';
import type { RegisterWrite } from '../../../lambdas/domain/state-writes';
import type { ListedTemplate } from '../../../lambdas/domain/templates/reconcile-templates';
import type { Account } from '../../../lambdas/ports/account-registry';
import type { TemplateRecord } from '../../../lambdas/ports/state-store';
import { TemplateCatalogError } from '../../../lambdas/ports/template-catalog';
import { createTemplateSync, TemplateSyncRefused } from '../../../lambdas/templates/sync-templates';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const WABA = '102290129340398';
const PHONE = '109876543210987';
const PHONE2 = '109876543210988';
const PAGE = '1234567890123456';
const IG = '17841400000000001';
const waba: AccountRef = { channel: 'whatsapp', accountId: WABA };
const page: AccountRef = { channel: 'messenger', accountId: PAGE };
const T0 = Date.UTC(2026, 11, 1, 12);

/** Template records kept register by register (a write lands only when its order beats the stored one). */
class TemplateStore extends RecordingStore {
  readonly records = new Map<string, Record<string, unknown>>();

  override apply(writes: readonly RegisterWrite[]): Promise<void> {
    for (const w of writes) {
      if (w.target.entity !== 'template') continue;
      const key = `${w.target.account.channel}#${w.target.account.accountId}#${w.target.name}#${w.target.language}`;
      const record = this.records.get(key) ?? { name: w.target.name, language: w.target.language };
      const stored = record[`${w.register}Order`] as string | undefined;
      if (stored !== undefined && (w.wins === 'later' ? stored >= w.order : stored <= w.order)) continue;
      record[`${w.register}Order`] = w.order;
      for (const [field, value] of Object.entries(w.fields)) {
        if (value === undefined) delete record[field];
        else record[field] = value;
      }
      this.records.set(key, record);
    }
    return super.apply(writes);
  }

  override listTemplates(account: AccountRef): Promise<TemplateRecord[]> {
    const prefix = `${account.channel}#${account.accountId}#`;
    return Promise.resolve([...this.records].filter(([k]) => k.startsWith(prefix)).map(([, r]) => r as TemplateRecord));
  }

  status(account: AccountRef, name: string, language = 'de'): unknown {
    return this.records.get(`${account.channel}#${account.accountId}#${name}#${language}`)?.status;
  }
}

const accounts: Account[] = [
  { channel: 'whatsapp', accountId: PHONE, displayName: 'WA', tokenSecret: 't', timezone: 'Europe/Berlin', wabaId: WABA },
  { channel: 'whatsapp', accountId: PHONE2, displayName: 'WA 2', tokenSecret: 't', timezone: 'Europe/Berlin', wabaId: WABA },
  { channel: 'whatsapp', accountId: '109876543210999', displayName: 'WA without WABA', tokenSecret: 't', timezone: 'Europe/Berlin' },
  { channel: 'messenger', accountId: PAGE, displayName: 'Page', tokenSecret: 't', timezone: 'Europe/Berlin' },
  { channel: 'instagram', accountId: IG, displayName: 'IG', tokenSecret: 't', timezone: 'Europe/Berlin' },
];

const listed = (name: string, extra: Partial<ListedTemplate> = {}): ListedTemplate => ({ name, language: 'de', status: 'APPROVED', category: 'UTILITY', ...extra });

const setup = (pageSize = 2) => {
  let now = T0;
  const catalog = new InMemoryTemplateCatalog({ [WABA]: [PHONE, PHONE2], [PAGE]: [PAGE] });
  const store = new TemplateStore();
  // Each page read moves the clock on a second, as reading Meta takes time.
  const clock = () => {
    now += 1000;
    return now;
  };
  const sync = createTemplateSync({ catalog, store, accounts: new FixedAccounts([...accounts]), clock, logger: new Logger({ logLevel: 'SILENT' }), pageSize });
  return { catalog, store, sync };
};

describe('template sync', () => {
  it("reads every page of a WABA's listing, named by the WABA or one of its numbers, with the first number's token", async () => {
    const { catalog, store, sync } = setup();
    for (const name of ['a', 'b', 'c', 'd', 'e']) catalog.put(waba, listed(name));

    const byWaba = await sync.syncAccount(waba);
    const byNumber = await sync.syncAccount({ channel: 'whatsapp', accountId: PHONE2 });

    expect(byWaba).toMatchObject({ account: waba, pages: 3, complete: true, counts: { listed: 5, created: 5, deleted: 0 } });
    expect(byNumber).toMatchObject({ account: waba, counts: { listed: 5, created: 0, unchanged: 5 } });
    expect(catalog.calls.map((c) => [c.owner.accountId, c.tokenAccount.accountId, c.limit])).toContainEqual([WABA, PHONE, 2]);
    expect(catalog.calls.map((c) => c.tokenAccount.accountId)).toContain(PHONE2);
    expect(store.status(waba, 'e')).toBe('APPROVED');
  });

  it('orders each page at the time it was fetched, and reports the listing’s start', async () => {
    const { catalog, store, sync } = setup(1);
    catalog.put(waba, listed('first'));
    catalog.put(waba, listed('second'));

    const result = await sync.syncAccount(waba);

    expect(result.fetchedAt).toBe(new Date(T0 + 1000).toISOString());
    const statusAt = (name: string) => store.records.get(`whatsapp#${WABA}#${name}#de`)?.statusAt;
    expect(statusAt('first')).toBe(T0 + 1000);
    expect(statusAt('second')).toBe(T0 + 2000);
  });

  it('marks templates gone from a complete listing DELETED, and reconciles a broken-off listing without deleting', async () => {
    const { catalog, store, sync } = setup(2);
    for (const name of ['a', 'b', 'c']) catalog.put(waba, listed(name));
    await sync.syncAccount(waba);

    catalog.remove(waba, 'c', 'de');
    catalog.put(waba, listed('a', { status: 'PAUSED' }));
    const complete = await sync.syncAccount(waba);
    expect(complete.counts).toMatchObject({ listed: 2, changed: 1, unchanged: 1, deleted: 1 });
    expect(store.status(waba, 'c')).toBe('DELETED');

    catalog.remove(waba, 'b', 'de');
    catalog.put(waba, listed('a', { status: 'APPROVED' }));
    catalog.put(waba, listed('x'));
    catalog.put(waba, listed('y'));
    const originalListPage = catalog.listPage.bind(catalog);
    let calls = 0;
    jest.spyOn(catalog, 'listPage').mockImplementation((request) => {
      calls += 1;
      return calls === 2 ? Promise.reject(new TemplateCatalogError('Meta answered 500', { httpStatus: 500, code: 2 })) : originalListPage(request);
    });
    const partial = await sync.syncAccount(waba);

    expect(partial).toMatchObject({ complete: false, pages: 1, counts: { listed: 2, deleted: 0 }, error: { code: 2, httpStatus: 500 } });
    expect(store.status(waba, 'a')).toBe('APPROVED');
    expect(store.status(waba, 'b')).toBe('APPROVED');
  });

  it('deletes nothing when the page cap stops the listing', async () => {
    const { catalog, store } = setup();
    const capped = createTemplateSync({ catalog, store, accounts: new FixedAccounts([...accounts]), clock: () => T0, logger: new Logger({ logLevel: 'SILENT' }), pageSize: 1, maxPages: 2 });
    for (const name of ['a', 'b', 'c', 'd']) catalog.put(waba, listed(name));
    await capped.syncAccount(waba);
    catalog.remove(waba, 'a', 'de');

    const result = await capped.syncAccount(waba);

    expect(result).toMatchObject({ complete: false, pages: 2, counts: { deleted: 0 } });
    expect(result.error).toBeUndefined();
    expect(store.status(waba, 'a')).toBe('APPROVED');
  });

  it("makes a Page's utility templates known on the Page", async () => {
    const { catalog, store, sync } = setup();
    catalog.put(page, listed('order_shipped', { language: 'en_US' }));

    await sync.syncAccount(page);

    expect(store.status(page, 'order_shipped', 'en_US')).toBe('APPROVED');
  });

  it.each<[AccountRef, string]>([
    [{ channel: 'instagram', accountId: IG }, 'no_templates_on_channel'],
    [{ channel: 'messenger', accountId: '999' }, 'unknown_account'],
    [{ channel: 'whatsapp', accountId: '999' }, 'unknown_account'],
    [{ channel: 'whatsapp', accountId: '109876543210999' }, 'unknown_account'],
  ])('refuses %j (%s)', async (ref, reason) => {
    const { sync } = setup();

    const refused = sync.syncAccount(ref);

    await expect(refused).rejects.toBeInstanceOf(TemplateSyncRefused);
    await expect(refused).rejects.toMatchObject({ refusal: { reason } });
  });

  it('syncs every WABA once and every Page, says which accounts have no templates, and goes on after a failure', async () => {
    const { catalog, store, sync } = setup();
    catalog.put(waba, listed('a'));
    catalog.put(page, listed('order_shipped'));
    catalog.failNext = new TemplateCatalogError('Invalid OAuth access token', { code: 190, httpStatus: 400 });

    const all = await sync.syncAll();

    expect(all.results.map((r) => [r.account.accountId, r.error?.code])).toEqual([
      [WABA, 190],
      [PAGE, undefined],
    ]);
    expect(all.withoutTemplates).toEqual([
      { channel: 'whatsapp', accountId: '109876543210999' },
      { channel: 'instagram', accountId: IG },
    ]);
    expect(all.failed).toEqual([]);
    expect(store.status(waba, 'a')).toBeUndefined();
    expect(store.status(page, 'order_shipped')).toBe('APPROVED');
  });
});
