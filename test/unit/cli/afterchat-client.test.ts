/**
 * Interface under test: the CLI's client (cli/client/afterchat-client.ts), typed from the admin
 * API's contract. Each admin method must reach a route of the contract with what its schemas
 * accept; that its types are the contract's is afterchat-client.typecheck.ts's part (tsc).
 */
import { adminContract, type AdminRouteKey } from '../../../lambdas/admin/contract';
import { matchRoute } from '../../../lambdas/admin/contract/match';
import type { RouteContract } from '../../../lambdas/admin/contract/route-contract';
import { type AfterchatClient, createAfterchatClient } from '../../../cli/client/afterchat-client';
import type { Answer, SendOptions, Transport } from '../../../cli/client/transport';
import { loadEvent } from '../../helpers/events';
import { DE_WA, PHONE, WABA } from '../../helpers/sample-ids';

interface Sent {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  body: unknown;
}

/** A stack that answers every request with `answer` and keeps what it was sent. */
const recording = (answer: Answer = { status: 200, body: {} }) => {
  const sent: Sent[] = [];
  const transport: Transport = {
    target: { baseUrl: 'http://127.0.0.1:3000', loopback: true },
    send: (method: string, path: string, options: SendOptions = {}) => {
      sent.push({ method, path, query: options.query ?? {}, body: options.body === undefined ? undefined : JSON.parse(options.body) });
      return Promise.resolve(answer);
    },
  };
  return { client: createAfterchatClient(transport), sent };
};

const WHATSAPP = { channel: 'whatsapp', accountId: PHONE } as const;
const CONTACT = { ...WHATSAPP, userId: DE_WA };
const OUTBOX_ID = 'ob_RxvmVYtmXk9t1J8RhIFNFJGw';
/** Standard base64: `/`, `+` and `=` must stay inside their one path segment. */
const MESSAGE_ID = 'wamid.HBgNNDkxNTEx/+MjM0NTY3OBUCABEYEjA3QkJBQzRBNzY1RDk2NEE1AA==';
const OCCURRENCE_KEY = '2026-11-23T08:00:00.000Z';
const INTENT = { ...CONTACT, kind: 'utility', author: 'bot', content: { type: 'template', name: 'order_shipped', language: 'de' } } as const;
const CAMPAIGN = loadEvent<Parameters<AfterchatClient['putCampaign']>[0]>('campaigns/weekly-deals-recurring.json');
const PROFILE = loadEvent<Parameters<AfterchatClient['putContactProfile']>[1]>('admin/contact-profile.json');
const AUTOMATION_CONFIG = loadEvent<Parameters<AfterchatClient['putAutomationConfig']>[1]>('admin/automation-config.json');
const IMPORT_REQUEST = loadEvent<Parameters<AfterchatClient['createImport']>[0]>('admin/import-request.json');
const IMPORT_ID = '0f8a2c34-5d6e-4f70-8a9b-0c1d2e3f4a5b';

type Method = Exclude<keyof AfterchatClient, 'target' | 'call'>;

/** Every admin method of the client, called with sample arguments, and the route it is for. */
const ADMIN_CALLS: [Method, (client: AfterchatClient) => Promise<unknown>, AdminRouteKey][] = [
  ['getContact', (c) => c.getContact(CONTACT), 'GET /admin/contacts/{channel}/{accountId}/{userId}'],
  ['listContactSends', (c) => c.listContactSends(CONTACT, { limit: '5', cursor: 'abc' }), 'GET /admin/contacts/{channel}/{accountId}/{userId}/sends'],
  ['getContactProfile', (c) => c.getContactProfile(CONTACT), 'GET /admin/contacts/{channel}/{accountId}/{userId}/profile'],
  ['exportContact', (c) => c.exportContact(CONTACT, { cursor: 'abc' }), 'GET /admin/contacts/{channel}/{accountId}/{userId}/export'],
  ['searchContacts', (c) => c.searchContacts(WHATSAPP, { tag: 'vip', attribute: 'city:Leipzig', windowOpen: 'true', limit: '10', cursor: 'abc' }), 'GET /admin/contacts/{channel}/{accountId}'],
  ['exportContactsCsv', (c) => c.exportContactsCsv(WHATSAPP, { topic: 'WEEKLY_DEALS', marketingOptOut: 'false' }), 'GET /admin/contacts/{channel}/{accountId}'],
  ['putContactProfile', (c) => c.putContactProfile(CONTACT, PROFILE), 'PUT /admin/contacts/{channel}/{accountId}/{userId}/profile'],
  ['startHandoff', (c) => c.startHandoff(CONTACT, { note: 'asked about a refund' }), 'POST /admin/contacts/{channel}/{accountId}/{userId}/handoff'],
  ['endHandoff', (c) => c.endHandoff(CONTACT), 'DELETE /admin/contacts/{channel}/{accountId}/{userId}/handoff'],
  ['eraseContact', (c) => c.eraseContact(CONTACT), 'DELETE /admin/contacts/{channel}/{accountId}/{userId}'],
  ['createImport', (c) => c.createImport(IMPORT_REQUEST), 'POST /admin/imports'],
  ['putImportChunk', (c) => c.putImportChunk(IMPORT_ID, 12, { firstLine: 4002, csv: '4915112345678,Lena\n' }), 'PUT /admin/imports/{importId}/chunks/{seq}'],
  ['startImport', (c) => c.startImport(IMPORT_ID, 13), 'POST /admin/imports/{importId}/start'],
  ['getImport', (c) => c.getImport(IMPORT_ID), 'GET /admin/imports/{importId}'],
  ['listImportErrors', (c) => c.listImportErrors(IMPORT_ID, { limit: '100', cursor: 'abc' }), 'GET /admin/imports/{importId}/errors'],
  ['listImports', (c) => c.listImports({ limit: '10', cursor: 'abc' }), 'GET /admin/imports'],
  ['getMessage', (c) => c.getMessage(MESSAGE_ID), 'GET /admin/messages/{messageId}'],
  ['listTemplates', (c) => c.listTemplates({ channel: 'whatsapp', accountId: WABA }), 'GET /admin/templates/{channel}/{accountId}'],
  ['syncTemplates', (c) => c.syncTemplates({ channel: 'whatsapp', accountId: WABA }), 'POST /admin/templates/{channel}/{accountId}/sync'],
  ['listAccounts', (c) => c.listAccounts(), 'GET /admin/accounts'],
  ['getAccount', (c) => c.getAccount(WHATSAPP), 'GET /admin/accounts/{channel}/{accountId}'],
  ['putAccount', (c) => c.putAccount(WHATSAPP, { displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/shop', timezone: 'Europe/Berlin', wabaId: WABA }), 'PUT /admin/accounts/{channel}/{accountId}'],
  ['deleteAccount', (c) => c.deleteAccount(WHATSAPP), 'DELETE /admin/accounts/{channel}/{accountId}'],
  ['getAutomationConfig', (c) => c.getAutomationConfig(WHATSAPP), 'GET /admin/accounts/{channel}/{accountId}/automation'],
  ['putAutomationConfig', (c) => c.putAutomationConfig(WHATSAPP, AUTOMATION_CONFIG), 'PUT /admin/accounts/{channel}/{accountId}/automation'],
  ['getAutomationUsage', (c) => c.getAutomationUsage(WHATSAPP, { from: '2026-12-01', to: '2026-12-06' }), 'GET /admin/accounts/{channel}/{accountId}/automation/usage'],
  ['getResponsiveness', (c) => c.getResponsiveness(WHATSAPP, { from: '2026-12-01', to: '2026-12-06', slaSeconds: '300' }), 'GET /admin/accounts/{channel}/{accountId}/responsiveness'],
  ['getAudienceGrowth', (c) => c.getAudienceGrowth(WHATSAPP, { from: '2026-12-01', to: '2026-12-06' }), 'GET /admin/accounts/{channel}/{accountId}/growth'],
  ['previewSend', (c) => c.previewSend({ ...INTENT, at: '2026-11-23T09:00:00.000Z' }), 'POST /admin/sends/preview'],
  ['send', (c) => c.send({ intent: INTENT, idempotencyKey: 'order-SK-1-shipped' }), 'POST /admin/sends'],
  ['getSend', (c) => c.getSend(OUTBOX_ID), 'GET /admin/sends/{outboxId}'],
  ['listCampaigns', (c) => c.listCampaigns(), 'GET /admin/campaigns'],
  ['putCampaign', (c) => c.putCampaign(CAMPAIGN), 'PUT /admin/campaigns/{campaignId}'],
  ['getCampaign', (c) => c.getCampaign('weekly-deals'), 'GET /admin/campaigns/{campaignId}'],
  ['deleteCampaign', (c) => c.deleteCampaign('weekly-deals'), 'DELETE /admin/campaigns/{campaignId}'],
  ['previewCampaign', (c) => c.previewCampaign('weekly-deals'), 'POST /admin/campaigns/{campaignId}/preview'],
  ['scheduleCampaign', (c) => c.scheduleCampaign('weekly-deals'), 'POST /admin/campaigns/{campaignId}/schedule'],
  ['pauseCampaign', (c) => c.pauseCampaign('weekly-deals'), 'POST /admin/campaigns/{campaignId}/pause'],
  ['resumeCampaign', (c) => c.resumeCampaign('weekly-deals'), 'POST /admin/campaigns/{campaignId}/resume'],
  ['getOccurrence', (c) => c.getOccurrence('weekly-deals', OCCURRENCE_KEY), 'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}'],
  ['getOccurrenceReport', (c) => c.getOccurrenceReport('weekly-deals', OCCURRENCE_KEY), 'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/report'],
  [
    'listOccurrenceRecipients',
    (c) => c.listOccurrenceRecipients('weekly-deals', OCCURRENCE_KEY, { state: 'not_read', limit: '20', cursor: 'abc' }),
    'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients',
  ],
  ['getCampaignReport', (c) => c.getCampaignReport('weekly-deals'), 'GET /admin/campaigns/{campaignId}/report'],
  ['getSendsReport', (c) => c.getSendsReport({ channel: 'whatsapp', accountId: WHATSAPP.accountId, from: '2026-12-01', to: '2026-12-06' }), 'GET /admin/reports/sends'],
  ['getTriggerReport', (c) => c.getTriggerReport('order.shipped', { from: '2026-12-01', to: '2026-12-06' }), 'GET /admin/reports/triggers/{detailType}'],
  [
    'createFollowUp',
    (c) => c.createFollowUp('weekly-deals', OCCURRENCE_KEY, { state: 'limited_by_meta', campaign: { ...CAMPAIGN, id: 'weekly-deals-retry' } }),
    'POST /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/follow-up',
  ],
  ['health', (c) => c.health(), 'GET /admin/health'],
  ['audit', (c) => c.audit({ from: '2026-12-01T00:00:00Z', to: '2026-12-06T23:59:59Z', limit: '10' }), 'GET /admin/audit'],
  ['quarantine', (c) => c.quarantine({ limit: '20', cursor: 'abc' }), 'GET /admin/quarantine'],
];

/** The local stack's stand-ins for EventBridge and the webhook: no admin routes, so not in the contract. */
const OUTSIDE_THE_CONTRACT: Method[] = ['putEvents', 'localRules', 'fireRule', 'postWebhook'];

describe('the CLI client', () => {
  it('has a contract route for every admin method, and nothing else but the local stand-ins', () => {
    // Prepare
    const { client } = recording();
    const methods = Object.keys(client).filter((name) => name !== 'target' && name !== 'call');

    // Assess
    expect(methods.sort()).toEqual([...ADMIN_CALLS.map(([method]) => method), ...OUTSIDE_THE_CONTRACT].sort());
    for (const [, , key] of ADMIN_CALLS) expect(Object.keys(adminContract)).toContain(key);
  });

  it.each(ADMIN_CALLS)('%s sends what its route accepts, where the contract puts it', async (_method, invoke, key) => {
    // Prepare
    const { client, sent } = recording();
    const route: RouteContract = adminContract[key];

    // Act
    await invoke(client);

    // Assess
    expect(sent).toHaveLength(1);
    const [request] = sent as [Sent];
    const matched = matchRoute(request.method, request.path);
    expect(matched?.route.key).toBe(key);
    const params = Object.fromEntries(Object.entries(matched?.params ?? {}).map(([name, value]) => [name, decodeURIComponent(value)]));
    expect(route.path?.safeParse(params).error).toBeUndefined();
    const query = Object.fromEntries(Object.entries(request.query).filter(([, value]) => value !== undefined));
    if (route.query) expect(route.query.safeParse(query).error).toBeUndefined();
    else expect(query).toEqual({});
    if (route.body) expect(route.body.schema.safeParse(request.body).error).toBeUndefined();
    else expect(request.body).toBeUndefined();
  });

  it('puts each path parameter in its one segment, however it is spelled', async () => {
    // Prepare
    const { client, sent } = recording();

    // Act
    await client.getMessage(MESSAGE_ID);
    await client.getOccurrence('weekly-deals', OCCURRENCE_KEY);

    // Assess
    expect(sent.map((r) => r.path)).toEqual([
      '/admin/messages/wamid.HBgNNDkxNTEx%2F%2BMjM0NTY3OBUCABEYEjA3QkJBQzRBNzY1RDk2NEE1AA%3D%3D',
      '/admin/campaigns/weekly-deals/occurrences/2026-11-23T08%3A00%3A00.000Z',
    ]);
  });

  it.each(['.', '..'])('refuses %p as a path parameter, which the URL would collapse into another route, and sends nothing', async (id) => {
    // Prepare
    const { client, sent } = recording();

    // Act & Assess
    await expect(client.deleteCampaign(id)).rejects.toMatchObject({ exitCode: 2, message: `campaignId can't be "${id}": as a URL path segment it would name another route` });
    await expect(client.getContact({ ...CONTACT, userId: id })).rejects.toMatchObject({ exitCode: 2 });
    await expect(client.fireRule(id)).rejects.toMatchObject({ exitCode: 2 });
    expect(sent).toEqual([]);
  });

  it('carries the query parameters given, and only those', async () => {
    // Prepare
    const { client, sent } = recording();

    // Act
    await client.audit({ from: '2026-12-01T00:00:00Z', limit: '10' });
    await client.listContactSends(CONTACT, { cursor: 'abc' });
    await client.quarantine();

    // Assess
    expect(sent.map((r) => r.query)).toEqual([{ from: '2026-12-01T00:00:00Z', limit: '10' }, { cursor: 'abc' }, {}]);
  });

  it('tells a new campaign (201) from a replaced one (200)', async () => {
    // Act
    const created = await recording({ status: 201, body: { id: 'weekly-deals' } }).client.putCampaign(CAMPAIGN);
    const replaced = await recording({ status: 200, body: { id: 'weekly-deals' } }).client.putCampaign(CAMPAIGN);

    // Assess
    expect([created.created, replaced.created]).toEqual([true, false]);
  });

});
