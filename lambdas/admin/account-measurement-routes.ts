import { usageDay } from '../domain/automation/usage';
import type { AccountRef } from '../domain/events';
import { growthDay, growthTotals } from '../domain/measurement/audience-growth';
import { responsiveness, veryResponsive } from '../domain/measurement/responsiveness';
import type { SendIntent } from '../domain/send/send-intent';
import type { Decision } from '../domain/send/policy-types';
import { errorJson } from '../http/responses';
import { noteConversationEvent } from '../measurement/note-conversation';
import { DEFAULT_SLA_SECONDS } from './contract/account-measurement';
import type { AdminDeps } from './admin-api';
import type { AdminRouteImpls, Handler } from './route-handler';

const DAY_MS = 86_400_000;
/** Messenger judges its badge on the last 7 days. */
const BADGE_DAYS = 7;

/** `day` moved by whole days: dates only, so no zone's DST can shift it. */
const plusDays = (day: string, days: number): string => new Date(Date.parse(day) + days * DAY_MS).toISOString().slice(0, 10);

/** The registered account, its zone, and the query's days (default: the week up to today, local). */
const reportRange = async (deps: AdminDeps, ref: AccountRef, query: { from?: string; to?: string }) => {
  const account = await deps.accounts.get(ref);
  if (!account) return undefined;
  const to = query.to ?? usageDay(deps.clock(), account.timezone);
  return { timeZone: account.timezone, to, from: query.from ?? plusDays(to, -(BADGE_DAYS - 1)) };
};

/** `GET /admin/accounts/{channel}/{accountId}/responsiveness?from=&to=&slaSeconds=` (README "Responsiveness"). */
const getResponsiveness: Handler<'GET /admin/accounts/{channel}/{accountId}/responsiveness'> = async (deps, { path: ref, query }) => {
  if (!deps.measurement) return errorJson(503, 'measurement is not configured for this admin API');
  const range = await reportRange(deps, ref, query);
  if (!range) return errorJson(404, 'account not registered', ref);
  if (range.from > range.to) return errorJson(400, 'invalid query', [{ path: 'from', message: `must not be after \`to\` (${range.to})` }]);
  const sla = query.slaSeconds ?? DEFAULT_SLA_SECONDS;
  const badgeFrom = plusDays(range.to, -(BADGE_DAYS - 1));
  const read = await deps.measurement.counters.days(ref, range.from < badgeFrom ? range.from : badgeFrom, range.to);
  const days = read.filter((d) => d.day >= range.from);
  const badge = veryResponsive(read.filter((d) => d.day >= badgeFrom));
  return {
    status: 200,
    body: {
      ...ref,
      ...range,
      ...responsiveness(days, sla),
      days: days.map((d) => ({ day: d.day, ...responsiveness([d], sla) })).filter((d) => d.conversations !== 0),
      veryResponsive: { from: badgeFrom, to: range.to, ...badge },
    },
  };
};

/** `GET /admin/accounts/{channel}/{accountId}/growth?from=&to=` (README "Audience growth"). */
const getGrowth: Handler<'GET /admin/accounts/{channel}/{accountId}/growth'> = async (deps, { path: ref, query }) => {
  if (!deps.measurement) return errorJson(503, 'measurement is not configured for this admin API');
  const range = await reportRange(deps, ref, query);
  if (!range) return errorJson(404, 'account not registered', ref);
  if (range.from > range.to) return errorJson(400, 'invalid query', [{ path: 'from', message: `must not be after \`to\` (${range.to})` }]);
  const days = (await deps.measurement.counters.days(ref, range.from, range.to))
    .map(growthDay)
    .filter((d) => d.newContacts !== 0 || Object.keys(d.optIns).length > 0 || Object.keys(d.optOuts).length > 0);
  return { status: 200, body: { ...ref, ...range, ...growthTotals(days), days } };
};

/**
 * A human's reply through `POST /admin/sends` (author `human`) the policy let through answers the
 * person's waiting turn, timed by the job's creation and keyed by its outbox id, so a retried call
 * counts once. A registered account's only: the day is read in its zone.
 */
export const measureHumanSend = async (deps: AdminDeps, intent: SendIntent, sent: { outboxId: string; createdAt: number; decision: Decision }): Promise<void> => {
  if (!deps.measurement || intent.author !== 'human' || sent.decision.outcome !== 'allow') return;
  const account = await deps.accounts.get({ channel: intent.channel, accountId: intent.accountId });
  if (!account) return;
  const contact = { channel: intent.channel, accountId: intent.accountId, userId: intent.userId };
  await noteConversationEvent(deps.measurement, contact, { kind: 'reply', at: sent.createdAt, eventKey: `agent_reply#${sent.outboxId}` }, account.timezone);
};

export const accountMeasurementRoutes = {
  'GET /admin/accounts/{channel}/{accountId}/responsiveness': { handle: getResponsiveness },
  'GET /admin/accounts/{channel}/{accountId}/growth': { handle: getGrowth },
} satisfies Partial<AdminRouteImpls>;
