/**
 * The TemplateCatalog contract: what the template sync relies on from Meta's listings. Run against
 * the Graph adapter (on the Meta simulator) and the in-memory fake, so the fake used by unit tests
 * behaves as the real thing does.
 */
import type { AccountRef } from '../../lambdas/domain/events';
import type { ListedTemplate } from '../../lambdas/domain/templates/reconcile-templates';
import { type TemplateCatalog, TemplateCatalogError, type TemplateListingPage } from '../../lambdas/ports/template-catalog';

export const CONTRACT_IDS = {
  WABA: '102290129340398',
  PHONE: '109876543210987',
  OTHER_WABA: '202290129340398',
  OTHER_PHONE: '209876543210987',
  PAGE: '1234567890123456',
} as const;

const { WABA, PHONE, OTHER_WABA, OTHER_PHONE, PAGE } = CONTRACT_IDS;
export const waba: AccountRef = { channel: 'whatsapp', accountId: WABA };
export const phone: AccountRef = { channel: 'whatsapp', accountId: PHONE };
export const otherWaba: AccountRef = { channel: 'whatsapp', accountId: OTHER_WABA };
export const otherPhone: AccountRef = { channel: 'whatsapp', accountId: OTHER_PHONE };
export const page: AccountRef = { channel: 'messenger', accountId: PAGE };

/** A template as a test registers it "in Meta" (statuses and categories the simulator knows). */
export interface SeedTemplate extends ListedTemplate {
  templateId: string;
  status: 'APPROVED' | 'PAUSED' | 'DISABLED' | 'PENDING' | 'REJECTED';
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  quality?: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
}

export interface ContractSubject {
  catalog: TemplateCatalog;
  /**
   * Registers templates of `owner` (a WABA or a Page), readable with `tokenAccount`'s token. Access:
   * PHONE reads WABA, OTHER_PHONE reads OTHER_WABA, PAGE reads PAGE.
   */
  seed(owner: AccountRef, tokenAccount: AccountRef, templates: readonly SeedTemplate[]): void;
  close(): Promise<void>;
}

const template = (n: number, extra: Partial<SeedTemplate> = {}): SeedTemplate => ({
  templateId: String(1_689_556_908_129_000 + n),
  name: `template_${String(n).padStart(2, '0')}`,
  language: n % 2 === 0 ? 'de' : 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  quality: 'GREEN',
  components: [{ type: 'BODY', text: `Hello {{1}}, this is template ${n}` }],
  ...extra,
});

const listAll = async (catalog: TemplateCatalog, owner: AccountRef, tokenAccount: AccountRef, limit: number): Promise<TemplateListingPage[]> => {
  const pages: TemplateListingPage[] = [];
  let after: string | undefined;
  do {
    const next = await catalog.listPage({ owner, tokenAccount, after, limit });
    pages.push(next);
    after = next.after;
    if (pages.length > 50) throw new Error('the listing never ends');
  } while (after !== undefined);
  return pages;
};

export const templateCatalogContract = (name: string, setup: () => Promise<ContractSubject>): void => {
  describe(`TemplateCatalog contract: ${name}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.close();
    });

    it("lists every template of a WABA once, in pages of at most `limit`, the last one without a cursor", async () => {
      const seeded = Array.from({ length: 7 }, (_, i) => template(i));
      subject.seed(waba, phone, seeded);

      const pages = await listAll(subject.catalog, waba, phone, 3);

      expect(pages.map((p) => p.templates.length)).toEqual([3, 3, 1]);
      expect(pages.slice(0, -1).every((p) => typeof p.after === 'string' && p.after.length > 0)).toBe(true);
      expect(pages.at(-1)?.after).toBeUndefined();
      const names = pages.flatMap((p) => p.templates.map((t) => `${t.name}#${t.language}`));
      expect(names.sort()).toEqual(seeded.map((t) => `${t.name}#${t.language}`).sort());
      expect(pages.every((p) => p.unreadable === 0)).toBe(true);
    });

    it('shows what reconciliation needs: id, name, language, status, category, quality and components', async () => {
      const paused = template(1, { status: 'PAUSED', category: 'MARKETING', quality: 'RED' });
      subject.seed(waba, phone, [paused]);

      const [first] = await listAll(subject.catalog, waba, phone, 10);

      expect(first?.templates).toEqual([
        expect.objectContaining({
          templateId: paused.templateId,
          name: paused.name,
          language: paused.language,
          status: 'PAUSED',
          category: 'MARKETING',
          quality: 'RED',
          components: paused.components,
        }),
      ]);
    });

    it("lists a Page's utility templates with the Page's token, without a quality", async () => {
      const shipped = template(3, { name: 'order_shipped', language: 'en_US', quality: undefined });
      subject.seed(page, page, [shipped]);

      const [first] = await listAll(subject.catalog, page, page, 10);

      expect(first?.templates).toEqual([expect.objectContaining({ name: 'order_shipped', language: 'en_US', status: 'APPROVED', category: 'UTILITY' })]);
      expect(first?.templates[0]?.quality).toBeUndefined();
      expect(first?.after).toBeUndefined();
    });

    it('answers an account without templates with one empty last page', async () => {
      const pages = await listAll(subject.catalog, waba, phone, 5);

      expect(pages).toEqual([expect.objectContaining({ templates: [], unreadable: 0 })]);
      expect(pages[0]?.after).toBeUndefined();
    });

    it("never lists another WABA's templates", async () => {
      subject.seed(waba, phone, [template(1)]);
      subject.seed(otherWaba, otherPhone, [template(2), template(4)]);

      const mine = await listAll(subject.catalog, waba, phone, 10);
      const theirs = await listAll(subject.catalog, otherWaba, otherPhone, 10);

      expect(mine.flatMap((p) => p.templates.map((t) => t.name))).toEqual(['template_01']);
      expect(theirs.flatMap((p) => p.templates.map((t) => t.name)).sort()).toEqual(['template_02', 'template_04']);
    });

    it("refuses a token that can't read the account with Meta's 190", async () => {
      subject.seed(waba, phone, [template(1)]);

      const refused = subject.catalog.listPage({ owner: waba, tokenAccount: otherPhone, limit: 10 });

      await expect(refused).rejects.toBeInstanceOf(TemplateCatalogError);
      await expect(refused).rejects.toMatchObject({ failure: { code: 190 } });
    });
  });
};
