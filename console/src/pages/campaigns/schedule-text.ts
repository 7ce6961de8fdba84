/**
 * A campaign's schedule (lambdas/schemas/campaign.ts: once, recurring, local_time) in words, and the
 * `once` instant as a UTC date-time input holds it. Pure, for the unit tests.
 */
export type Schedule = { kind: 'once'; at: string } | { kind: 'recurring'; expression: string } | { kind: 'local_time'; at: string; days?: ('MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN')[] };

export const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

export const scheduleText = (schedule: Schedule): string => {
  switch (schedule.kind) {
    case 'once':
      return `Once, ${schedule.at.replace('T', ' ').replace(/:00(\.000)?Z$/, ' UTC').replace(/Z$/, ' UTC')}`;
    case 'recurring':
      return `Recurring, ${schedule.expression} (UTC)`;
    case 'local_time':
      return `At ${schedule.at} in each contact’s time zone${schedule.days && schedule.days.length < 7 ? `, ${schedule.days.join(' ')}` : ', every day'}`;
  }
};

/** An instant as a `datetime-local` input's value, read as UTC: `2026-11-27T09:00`. */
export const utcInputValue = (iso: string): string => (Number.isNaN(Date.parse(iso)) ? '' : new Date(iso).toISOString().slice(0, 16));

/** A `datetime-local` value read as UTC, as the schema takes it (`2026-11-27T09:00:00Z`), or undefined when empty. */
export const utcInstant = (value: string): string | undefined => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : undefined);
