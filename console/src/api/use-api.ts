import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from './client';

/** A call's answer as a page shows it: loading, its data, or the refusal as a sentence. */
export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: string } | { state: 'ready'; data: T };

type Call<T> = () => Promise<{ data?: T; error?: unknown; response: Response }>;

/**
 * Runs an openapi-fetch call when `deps` change (and on `reload()`); `every` ms re-runs it while
 * the page shows (live progress, countdowns against the stack's clock).
 */
export const useApi = <T>(call: Call<T>, deps: readonly unknown[], options: { every?: number } = {}): Loaded<T> & { reload: () => void } => {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const latest = useRef(call);
  latest.current = call;
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    const run = async () => {
      try {
        const { data, error, response } = await latest.current();
        if (!live) return;
        setLoaded(error !== undefined || data === undefined ? { state: 'error', error: errorText(error, response.status) } : { state: 'ready', data });
      } catch (error) {
        if (live) setLoaded({ state: 'error', error: errorText(error) });
      }
    };
    void run();
    const timer = options.every ? setInterval(() => void run(), options.every) : undefined;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [...deps, tick, options.every]);
  return { ...loaded, reload };
};
