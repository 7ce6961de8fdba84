/**
 * Interface under test: the TemplateCatalog port. One contract, two implementations: the Graph API
 * adapter over HTTP against the Meta simulator's listings, and the in-memory fake.
 */
import { InMemoryTemplateCatalog } from '../../../lambdas/adapters/memory/template-catalog';
import { GraphTemplateCatalog } from '../../../lambdas/adapters/meta/graph-template-catalog';
import { StaticAccessTokens } from '../../../lambdas/adapters/secrets/access-tokens';
import { startMetaSimulator } from '../../../lambdas/local/meta-simulator';
import { CONTRACT_IDS, type ContractSubject, templateCatalogContract } from '../../helpers/template-catalog-contract';

const { WABA, PHONE, OTHER_WABA, OTHER_PHONE, PAGE } = CONTRACT_IDS;
const TOKENS = { [PHONE]: 'wa-token', [OTHER_PHONE]: 'other-wa-token', [PAGE]: 'page-token' };

templateCatalogContract('GraphTemplateCatalog on the Meta simulator', async (): Promise<ContractSubject> => {
  const simulator = await startMetaSimulator({
    appSecret: 'contract-app-secret',
    tokens: TOKENS,
    whatsappNumbers: {
      [PHONE]: { wabaId: WABA, displayPhoneNumber: '15550783881' },
      [OTHER_PHONE]: { wabaId: OTHER_WABA, displayPhoneNumber: '15550783882' },
    },
    seed: 1,
    clock: () => Date.UTC(2026, 11, 1, 12),
  });
  return {
    catalog: new GraphTemplateCatalog({
      baseUrl: simulator.url,
      version: 'v25.0',
      tokens: new StaticAccessTokens(TOKENS),
      appSecret: () => Promise.resolve('contract-app-secret'),
      timeoutMs: 5000,
    }),
    seed: (owner, tokenAccount, templates) => {
      for (const t of templates) {
        simulator.setTemplate({
          accountId: tokenAccount.accountId,
          ...(owner.channel === 'whatsapp' ? { wabaOrPageId: owner.accountId } : {}),
          name: t.name,
          language: t.language,
          status: t.status,
          category: t.category,
          id: t.templateId,
          ...(t.quality === undefined ? {} : { quality: t.quality }),
          ...(t.components === undefined ? {} : { components: [...t.components] }),
        });
      }
    },
    close: () => simulator.close(),
  };
});

templateCatalogContract('InMemoryTemplateCatalog', () => {
  const catalog = new InMemoryTemplateCatalog({ [WABA]: [PHONE], [OTHER_WABA]: [OTHER_PHONE], [PAGE]: [PAGE] });
  return Promise.resolve({
    catalog,
    seed: (owner, _tokenAccount, templates) => {
      for (const t of templates) catalog.put(owner, t);
    },
    close: () => Promise.resolve(),
  });
});
