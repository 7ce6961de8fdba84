import { priceUsage, usageDay } from '../domain/automation/usage';
import { COST_DISCLAIMER } from '../domain/campaign/cost-estimate';
import { PRICE_TABLE } from '../domain/campaign/price-table';
import { errorJson } from '../http/responses';
import type { AdminRouteImpls, Handler } from './route-handler';

const DAY_MS = 86_400_000;

/** `day` moved by whole days: dates only, so no zone's DST can shift it. */
const plusDays = (day: string, days: number): string => new Date(Date.parse(day) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * `GET /admin/accounts/{channel}/{accountId}/automation/usage?from=&to=`: what automation sent per
 * local day and rule (README "Automation", cost). Without `to`, today in the account's zone; without
 * `from`, the week up to `to`.
 */
const getAutomationUsage: Handler<'GET /admin/accounts/{channel}/{accountId}/automation/usage'> = async (deps, { path: ref, query }) => {
  if (!deps.automationUsage) return errorJson(503, 'automation usage is not configured for this admin API');
  const account = await deps.accounts.get(ref);
  if (!account) return errorJson(404, 'account not registered', ref);
  const to = query.to ?? usageDay(deps.clock(), account.timezone);
  const from = query.from ?? plusDays(to, -6);
  if (from > to) return errorJson(400, 'invalid query', [{ path: 'from', message: `must not be after \`to\` (${to})` }]);
  const report = priceUsage(ref.channel, await deps.automationUsage.tally(ref, from, to), account.timezone);
  const used = new Set(report.days.flatMap((d) => d.lines.flatMap((line) => (line.priceRow === null ? [] : [line.priceRow.id]))));
  const prices = PRICE_TABLE.filter((row) => used.has(row.id)).map((row) => ({
    id: row.id,
    effectiveFrom: row.effectiveFrom,
    effectiveUntil: row.effectiveUntil ?? null,
    pricePerMessage: row.pricePerMessage,
    currency: row.currency,
    confirmed: row.confirmed === true,
    source: row.source,
    note: row.note,
  }));
  return { status: 200, body: { ...ref, timeZone: account.timezone, from, to, ...report, prices, disclaimer: COST_DISCLAIMER } };
};

export const automationUsageRoutes = {
  'GET /admin/accounts/{channel}/{accountId}/automation/usage': { handle: getAutomationUsage },
} satisfies Partial<AdminRouteImpls>;
