import { fail, ok, type Parsed } from './schedule';

/** One cron field as EventBridge's table defines it: its range, its names and whether `/` is allowed. */
export interface CronField {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Names for min, min + 1, ... (JAN-DEC, SUN-SAT). */
  readonly names?: readonly string[];
  readonly increments: boolean;
}

export const MINUTES: CronField = { label: 'Minutes', min: 0, max: 59, increments: true };
export const HOURS: CronField = { label: 'Hours', min: 0, max: 23, increments: true };
export const DAY_OF_MONTH: CronField = { label: 'Day-of-month', min: 1, max: 31, increments: true };
export const MONTH: CronField = {
  label: 'Month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  increments: true,
};
// The doc's table gives Day-of-week no "/" wildcard.
export const DAY_OF_WEEK: CronField = {
  label: 'Day-of-week',
  min: 1,
  max: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  increments: false,
};
export const YEAR: CronField = { label: 'Year', min: 1970, max: 2199, increments: true };

// Items look like *, 5, MON, 1-15, 0/15, */10 or 10-40/5.
const ITEM = /^(\*|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:\/([0-9]+))?$/;

/** A comma list of values, ranges and increments, expanded to its sorted values. */
export const parseFieldValues = (field: CronField, text: string): Parsed<number[]> => {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const parsed = parseItem(field, item);
    if (!parsed.ok) return parsed;
    const { from, to, step } = parsed.value;
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return ok([...values].sort((a, b) => a - b));
};

/** One value of the field, as a number or (Month, Day-of-week) an upper-case name. */
export const parseFieldValue = (field: CronField, token: string): Parsed<number> => {
  if (/^[0-9]+$/.test(token)) {
    const value = Number(token);
    return value < field.min || value > field.max
      ? fail(`cron ${field.label}: ${token} is out of range ${field.min}-${field.max}`)
      : ok(value);
  }
  const index = field.names?.indexOf(token) ?? -1;
  return index < 0 ? fail(`cron ${field.label}: "${token}" is not a value (use ${allowedValues(field)})`) : ok(field.min + index);
};

const allowedValues = (field: CronField): string => {
  const { names } = field;
  const numbers = `${field.min}-${field.max}`;
  return names === undefined ? numbers : `${numbers} or ${names[0]}-${names[names.length - 1]}, in capitals`;
};

interface Steps {
  from: number;
  to: number;
  step: number;
}

const parseItem = (field: CronField, item: string): Parsed<Steps> => {
  const { label } = field;
  if (item === '?') return fail(`cron ${label}: "?" stands alone, and only in Day-of-month or Day-of-week`);
  const match = ITEM.exec(item);
  if (match === null) return fail(`cron ${label}: "${item}" is not a value, range or increment`);
  const [, first = '', last, increment] = match;
  if (increment !== undefined && !field.increments) return fail(`cron ${label}: "/" is not allowed in ${label}`);
  if (first === '*' && last !== undefined) return fail(`cron ${label}: "${item}" is not a range: "*" already means every value`);
  const from = first === '*' ? ok(field.min) : parseFieldValue(field, first);
  if (!from.ok) return from;
  // "5/15" means 5, 20, 35, 50: an increment without an end runs to the top of the field.
  const open = first === '*' || increment !== undefined;
  const to = last !== undefined ? parseFieldValue(field, last) : ok(open ? field.max : from.value);
  if (!to.ok) return to;
  // Reversed ranges (22-2) are refused rather than guessed at: the doc only shows low-to-high ranges.
  if (to.value < from.value) return fail(`cron ${label}: range ${item} must go from low to high`);
  const step = increment === undefined ? 1 : Number(increment);
  const span = field.max - field.min + 1;
  if (step < 1 || step >= span) return fail(`cron ${label}: increment ${increment ?? ''} must be between 1 and ${span - 1}`);
  return ok({ from: from.value, to: to.value, step });
};
