/** How the reports print numbers for a person: rates as percentages, times in words, money per currency. */

/** `93.75 %`, `—` when the rate has no denominator. */
export const percent = (rate: number | null): string => (rate === null ? '—' : `${Number((rate * 100).toFixed(2))} %`);

/** `45 s`, `13 min 25 s`, `2 h 5 min`; `—` for no time. */
export const duration = (seconds: number | null): string => {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.round(s / 60);
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
};

/** `4.2978 EUR + 1.1 USD`: currencies side by side, never converted; `—` for none. */
export const amounts = (byCurrency: Readonly<Record<string, number | null>> | null): string =>
  Object.entries(byCurrency ?? {})
    .map(([currency, amount]) => (amount === null ? `— ${currency}` : `${amount} ${currency}`))
    .join(' + ') || '—';

/** `marketing 3, keyword 1`: counts by name; `—` for none. */
export const counts = (byName: Readonly<Record<string, number>>): string =>
  Object.entries(byName)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ') || '—';

/** The UTC day `days` before or after `day`. */
export const plusDays = (day: string, days: number): string => new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);
