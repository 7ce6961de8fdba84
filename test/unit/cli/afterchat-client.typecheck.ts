/**
 * The CLI client's types are the contract's: held by tsc (`npm run typecheck`), never run. Each
 * marked line must fail to compile, so a client whose types stopped following the contract (a
 * method typed by hand, a route's types lost to `any`) leaves a mark unused and fails the check;
 * a route's schema that changes under a command fails that command's compile.
 */
import type { Route } from '../../../lambdas/admin/contract';
import type { AfterchatClient } from '../../../cli/client/afterchat-client';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

type Answer<M extends keyof AfterchatClient> = AfterchatClient[M] extends (...args: never[]) => Promise<infer A> ? A : never;

export type NamedMethodsAreTheContracts = [
  Expect<Equal<Answer<'getSend'>, Route<'GET /admin/sends/{outboxId}'>['response']>>,
  Expect<Equal<Parameters<AfterchatClient['send']>[0], Route<'POST /admin/sends'>['body']>>,
  Expect<Equal<Parameters<AfterchatClient['putContactProfile']>, [Route<'PUT /admin/contacts/{channel}/{accountId}/{userId}/profile'>['path'], Route<'PUT /admin/contacts/{channel}/{accountId}/{userId}/profile'>['body']]>>,
  Expect<Equal<Answer<'getOccurrence'>, Route<'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}'>['response']>>,
  Expect<Equal<Answer<'putCampaign'>, { created: boolean; campaign: Route<'PUT /admin/campaigns/{campaignId}'>['response'] }>>,
];

declare const client: AfterchatClient;

export const refusedByTheCompiler = async (): Promise<unknown[]> => {
  // @ts-expect-error: the contract has no such route
  await client.call('GET /admin/widgets');
  // @ts-expect-error: a send is named by its outboxId
  await client.call('GET /admin/sends/{outboxId}', { path: { id: 'ob_RxvmVYtmXk9t1J8RhIFNFJGw' } });
  // @ts-expect-error: a route with a path parameter needs it
  await client.call('GET /admin/sends/{outboxId}');
  // @ts-expect-error: a route without a body takes none
  await client.call('GET /admin/health', { body: {} });
  // @ts-expect-error: a send request's text is in intent.content
  await client.send({ text: 'Hi', idempotencyKey: 'k' });
  // @ts-expect-error: a campaign's kind is one of the contract's
  await client.putCampaign({ ...(await client.getCampaign('weekly-deals')), kind: 'newsletter' });
  // @ts-expect-error: the audit log's page size is `limit`, as text (it is a query parameter)
  await client.audit({ limit: 10 });
  // @ts-expect-error: a send's answer has `status` and `senderStatus`, no `state`
  const state: unknown = (await client.getSend('ob_RxvmVYtmXk9t1J8RhIFNFJGw')).state;
  // @ts-expect-error: a scheduled campaign's answer carries its preview's audience as a number
  const audience: unknown = (await client.scheduleCampaign('weekly-deals')).preview.audience.length;
  return [state, audience];
};
