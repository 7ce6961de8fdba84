/**
 * The admin API's contract: every route, by area, with its schemas (route-contract.ts says what an
 * entry holds). The router serves exactly these routes (test/unit/admin/admin-contract.test.ts fails
 * otherwise), `GET /admin/openapi.json` documents them, and a client types its calls with `Route<K>`:
 *
 *   type Send = Route<'GET /admin/sends/{outboxId}'>;
 *   // Send['path']: { outboxId: string }; Send['response']: the outbox view
 */
import { accountMeasurementContract } from './account-measurement';
import { accountContract } from './accounts';
import { automationContract } from './automation';
import { automationUsageContract } from './automation-usage';
import { campaignContract } from './campaigns';
import { contactSearchContract } from './contact-search';
import { contactContract } from './contacts';
import { followUpContract } from './follow-ups';
import { funnelReportContract } from './funnel-reports';
import { importContract } from './imports';
import { occurrenceRecipientsContract } from './occurrence-recipients';
import { operationsContract } from './operations';
import type { CallerTypes, RouteContract, RouteKey, RouteTable } from './route-contract';
import { sendContract } from './sends';
import { templateContract } from './templates';

/** The routes by area: each area is a tag of the OpenAPI document. */
export const CONTRACT_AREAS = {
  contacts: { ...contactContract, ...contactSearchContract },
  imports: importContract,
  accounts: { ...accountContract, ...accountMeasurementContract },
  automation: { ...automationContract, ...automationUsageContract },
  sends: sendContract,
  templates: templateContract,
  campaigns: { ...campaignContract, ...followUpContract, ...occurrenceRecipientsContract },
  reports: funnelReportContract,
  operations: operationsContract,
} as const;

export const adminContract = {
  ...contactContract,
  ...contactSearchContract,
  ...importContract,
  ...accountContract,
  ...accountMeasurementContract,
  ...automationContract,
  ...automationUsageContract,
  ...sendContract,
  ...templateContract,
  ...campaignContract,
  ...followUpContract,
  ...occurrenceRecipientsContract,
  ...funnelReportContract,
  ...operationsContract,
} as const satisfies RouteTable;

export type AdminContract = typeof adminContract;
export type AdminRouteKey = keyof AdminContract;

/** A route's request and answer types, e.g. `Route<'POST /admin/sends'>['body']`. */
export type Route<K extends AdminRouteKey> = CallerTypes<AdminContract[K]>;

/** Every route, with its key. */
export const contractRoutes = (): [RouteKey, RouteContract][] => Object.entries(adminContract as RouteTable) as [RouteKey, RouteContract][];

export { ErrorSchema, type ErrorBody, splitKey, templateNames } from './route-contract';
