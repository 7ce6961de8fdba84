import { InvalidArgumentError } from 'commander';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * An instant option: ISO-8601 with a zone, or a time from now (`+30m`, `+2h`, `+1d`; `-1d` for one
 * before), so examples and scripts never name a date that passes.
 */
export const instantArg = (value: string, nowMs: number): string => {
  const relative = /^([+-])(\d{1,5})([mhd])$/.exec(value);
  if (relative) {
    const sign = relative[1] === '-' ? -1 : 1;
    return new Date(nowMs + sign * Number(relative[2]) * UNIT_MS[relative[3] as keyof typeof UNIT_MS]).toISOString();
  }
  if (!Number.isNaN(Date.parse(value)) && /(Z|[+-]\d{2}:\d{2})$/.test(value)) return value;
  throw new InvalidArgumentError('give an ISO-8601 instant with a zone (2026-05-20T09:00:00Z) or a time from now (+30m, +2h, +1d, -1d).');
};
