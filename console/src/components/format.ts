/** Shared number and time formats: the same figure reads the same on every page. */
export const count = (n: number | undefined | null): string => (n === undefined || n === null ? '–' : n.toLocaleString('en'));

export const percent = (rate: number | undefined | null): string => (rate === undefined || rate === null ? '–' : `${(rate * 100).toFixed(1)} %`);

export const money = (amount: number | undefined | null, currency: string): string =>
  amount === undefined || amount === null ? '–' : new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount);

export const dateTime = (iso: string | undefined | null): string => (iso ? new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }) + ' UTC' : '–');

/** A duration in words: `2 h 5 min`, `45 s`. */
export const duration = (ms: number): string => {
  if (ms < 0) return '0 s';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
};
