import { parseCronFields } from './cron-expression';
import type { Parsed, Schedule } from './schedule';

export type ScheduleParse = { ok: true; schedule: Schedule } | { ok: false; error: string };

const MINUTE_MS = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS };

/**
 * Reads `rate(value unit)` and `cron(fields)` as EventBridge rules take them
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html), and
 * `at(yyyy-mm-ddThh:mm:ss)`, EventBridge Scheduler's one-time schedule
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html), read as UTC.
 */
export const parseScheduleExpression = (text: string): ScheduleParse => {
  const expression = text.trim();
  const match = /^(rate|cron|at)\((.*)\)$/s.exec(expression);
  const parsed: Parsed<Schedule> =
    match === null
      ? { ok: false, error: `"${expression}" is not rate(value unit), cron(6 fields) or at(yyyy-mm-ddThh:mm:ss)` }
      : parseBody(match[1] ?? '', expression, match[2] ?? '');
  return parsed.ok ? { ok: true, schedule: parsed.value } : parsed;
};

const parseBody = (kind: string, expression: string, body: string): Parsed<Schedule> => {
  if (kind === 'cron') return parseCronFields(expression, body);
  return kind === 'rate' ? parseRate(expression, body) : parseAt(expression, body);
};

/** "If the value is equal to 1, then the unit must be singular. If the value is greater than 1, the unit must be plural." */
const parseRate = (expression: string, body: string): Parsed<Schedule> => {
  const parts = body.trim().split(/\s+/);
  const [valueText = '', unitText = ''] = parts;
  if (parts.length !== 2) return { ok: false, error: `rate: expected "value unit", like rate(5 minutes), got "${body}"` };
  if (!/^[1-9][0-9]*$/.test(valueText)) return { ok: false, error: `rate: the value must be a whole number above 0, got "${valueText}"` };
  const value = Number(valueText);
  const singular = unitText.endsWith('s') ? unitText.slice(0, -1) : unitText;
  const unitMs = UNIT_MS[singular];
  if (unitMs === undefined) {
    return { ok: false, error: `rate: the unit must be minute, minutes, hour, hours, day or days, got "${unitText}"` };
  }
  const expected = value === 1 ? singular : `${singular}s`;
  if (unitText !== expected) {
    return { ok: false, error: `rate: a value of ${value} takes "${expected}", not "${unitText}"` };
  }
  const everyMs = value * unitMs;
  if (!Number.isSafeInteger(everyMs)) return { ok: false, error: `rate: ${valueText} ${unitText} is too long` };
  return { ok: true, value: { kind: 'rate', expression, everyMs } };
};

const parseAt = (expression: string, body: string): Parsed<Schedule> => {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})$/.exec(body);
  if (match === null) return { ok: false, error: `at: expected yyyy-mm-ddThh:mm:ss, got "${body}"` };
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const atMs = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2026-02-30 over to March 2; writing the instant back out catches it.
  if (new Date(atMs).toISOString().slice(0, 19) !== body) return { ok: false, error: `at: ${body} is not a real date and time` };
  return { ok: true, value: { kind: 'once', expression, atMs } };
};
