import * as z from 'zod';
import { ChannelSchema } from '../../schemas/account';
import { cursor, limit, nextCursor } from './params';
import type { RouteTable } from './route-contract';
import { MaybeTime, Time } from './times';

const HealthStatus = z.enum(['ok', 'warning', 'error']).meta({ description: '`ok`: nothing to do; `warning`: act before a date; `error`: something is broken now' });

const Health = z.object({
  status: HealthStatus.meta({ description: 'The worst of the checks' }),
  checkedAt: Time,
  warnings: z.array(z.string()),
  graphApi: z.object({
    version: z.string().nullable(),
    status: z.enum(['ok', 'ending_soon', 'ended', 'unknown_version']),
    introduced: z.iso.date().nullable(),
    endsAt: MaybeTime,
    daysLeft: z.number().nullable(),
    source: z.object({ title: z.string(), url: z.string(), updated: z.iso.date() }).nullable(),
    endingSoon: z.boolean(),
  }),
});

/** `2026-12-01T00:00:00Z`: a zone, seconds and milliseconds optional. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const instant = (example: string) =>
  z
    .string()
    .superRefine((value, ctx) => {
      if (value.length > 40 || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) ctx.addIssue({ code: 'custom', message: `an ISO-8601 time with its zone, e.g. ${example}` });
    })
    .optional();

const AuditQuery = z
  .object({
    from: instant('2026-12-01T00:00:00Z').meta({ description: 'The earliest entry’s time, inclusive' }),
    to: instant('2026-12-06T23:59:59Z').meta({ description: 'The latest entry’s time, inclusive (default now)' }),
    limit: limit(50),
    cursor,
  })
  // A malformed time already has its issue (NaN compares false).
  .refine((q) => q.from === undefined || q.to === undefined || !(Date.parse(q.from) > Date.parse(q.to)), { message: 'must not be after `to`', path: ['from'] });

const AuditEntry = z.object({
  id: z.string(),
  at: Time,
  principal: z.string().meta({ description: 'The caller’s IAM ARN, or `unauthenticated` (the local stack)' }),
  callerId: z.string().nullable(),
  callerAccount: z.string().nullable(),
  action: z.string().meta({ description: 'Method and route template, e.g. `PUT /admin/accounts/{channel}/{accountId}`' }),
  target: z.record(z.string(), z.string()).meta({ description: 'The route’s parameters; a user or message id only as `<name>Hash`' }),
  requestId: z.string().nullable(),
  status: z.number().nullable(),
  outcome: z.enum(['succeeded', 'refused', 'failed', 'unfinished']),
  finishedAt: MaybeTime,
  expiresAt: Time,
});

const QuarantinedItem = z.object({
  quarantineId: z.string(),
  reason: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
  type: z.string().meta({ description: 'The normalised event’s type' }),
  channel: ChannelSchema.optional(),
  accountId: z.string().optional(),
  userId: z.string().optional(),
  receivedAt: Time,
  expiresAt: Time,
  item: z.unknown().meta({ description: 'Meta’s payload as normalised, kept verbatim for diagnosis (its times epoch milliseconds), or its cut text when `itemTruncated`' }),
  itemTruncated: z.boolean(),
});

export const operationsContract = {
  'GET /admin/health': {
    operationId: 'getHealth',
    summary: 'The stack’s checks; always 200, the body says how healthy it is',
    responses: { 200: Health },
  },
  'GET /admin/audit': {
    operationId: 'listAudit',
    summary: 'The audit log of admin writes, newest first',
    query: AuditQuery,
    responses: { 200: z.object({ entries: z.array(AuditEntry), cursor: nextCursor }) },
    errors: { 503: 'the audit log is not configured' },
  },
  'GET /admin/quarantine': {
    operationId: 'listQuarantine',
    summary: 'Webhook items set aside, newest first',
    description:
      'Each entry’s `item` is the one exception to ISO-8601 times in this API: it is Meta’s payload as normalised, kept verbatim for diagnosis, so its own times are epoch milliseconds.',
    query: z.object({ limit: limit(20), cursor }),
    responses: { 200: z.object({ items: z.array(QuarantinedItem), cursor: nextCursor }) },
    errors: { 503: 'quarantine is not configured' },
  },
  'GET /admin/openapi.json': {
    operationId: 'getOpenApi',
    summary: 'This document: the admin API as OpenAPI 3.1, generated from its zod schemas',
    responses: { 200: z.record(z.string(), z.unknown()).meta({ description: 'An OpenAPI 3.1 document' }) },
  },
} as const satisfies RouteTable;
