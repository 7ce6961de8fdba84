import { useEffect, useState } from 'react';
import { api } from '../../api/client';

/** The admin API's clock, followed by the browser: its time is `Date.now() + offset`. */
export type ServerClock = { state: 'syncing' } | { state: 'ready'; offset: number; source: 'api' | 'browser' };

/** A browser's clock drifts; the API's decides when a window closes, so it is read again now and then. */
const RESYNC_MS = 5 * 60_000;

/**
 * Reads the API's clock from `GET /admin/health` (`checkedAt`, the time every view is computed
 * at), halfway through the call's round trip. A countdown ticks on the browser's clock shifted by
 * the difference, so it agrees with the `open` the API answers, even where the stack's clock is
 * injected. Without an answer, the browser's own clock (and says so).
 */
export const useServerClock = (): ServerClock => {
  const [clock, setClock] = useState<ServerClock>({ state: 'syncing' });
  useEffect(() => {
    let live = true;
    const sync = async () => {
      const sent = Date.now();
      try {
        const { data } = await api.GET('/admin/health');
        if (!live) return;
        const received = Date.now();
        setClock(data ? { state: 'ready', offset: Date.parse(data.checkedAt) - (sent + received) / 2, source: 'api' } : { state: 'ready', offset: 0, source: 'browser' });
      } catch {
        if (live) setClock({ state: 'ready', offset: 0, source: 'browser' });
      }
    };
    void sync();
    const timer = setInterval(() => void sync(), RESYNC_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return clock;
};

/** The browser's time, again every `every` ms: what a live countdown re-renders on. */
export const useTicking = (every = 1000): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(timer);
  }, [every]);
  return now;
};
