/**
 * Meta sends times in several forms: Messenger ms numbers, WhatsApp unix-second strings, dashboard
 * test payloads as strings, some fixtures as ISO-8601. Everything becomes ms since epoch.
 */
const SECONDS_CUTOFF = 1e11; // below this a unix time is in seconds (1e11 s is the year 5138)

export const toMillis = (value: number | string): number | undefined => {
  const numeric = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (Number.isFinite(numeric)) {
    return numeric < SECONDS_CUTOFF ? Math.round(numeric * 1000) : Math.round(numeric);
  }
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
};
