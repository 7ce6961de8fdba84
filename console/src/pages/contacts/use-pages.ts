import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../../api/client';
import type { Loaded } from '../../api/use-api';

/** One page of a cursor-paged answer: its rows, and the cursor while more follow. */
export interface PageOf<R> {
  rows: R[];
  cursor?: string;
  /** Index entries read for the page (a search's `scanned`). */
  scanned?: number;
}

type PageCall<R> = (cursor: string | undefined) => Promise<{ page?: PageOf<R>; error?: unknown; status?: number }>;

export interface Pages<R> {
  /** The rows of every page read so far. */
  loaded: Loaded<R[]>;
  cursor?: string;
  scanned: number;
  loadingMore: boolean;
  moreError?: string;
  /** Reads the next page and appends its rows. */
  more: () => void;
}

/** A cursor-paged list: the first page when `deps` change, the next ones on `more()` ("more" buttons). */
export const usePages = <R>(call: PageCall<R>, deps: readonly unknown[]): Pages<R> => {
  const [loaded, setLoaded] = useState<Loaded<R[]>>({ state: 'loading' });
  const [cursor, setCursor] = useState<string | undefined>();
  const [scanned, setScanned] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | undefined>();
  const latest = useRef(call);
  latest.current = call;
  const generation = useRef(0);

  const read = useCallback(async (after: string | undefined, append: boolean) => {
    const mine = generation.current;
    try {
      const { page, error, status } = await latest.current(after);
      if (mine !== generation.current) return;
      if (!page) {
        if (append) setMoreError(errorText(error, status));
        else setLoaded({ state: 'error', error: errorText(error, status) });
        return;
      }
      setLoaded((before) => ({ state: 'ready', data: append && before.state === 'ready' ? [...before.data, ...page.rows] : page.rows }));
      setCursor(page.cursor);
      setScanned((n) => (append ? n : 0) + (page.scanned ?? 0));
    } catch (error) {
      if (mine !== generation.current) return;
      if (append) setMoreError(errorText(error));
      else setLoaded({ state: 'error', error: errorText(error) });
    }
  }, []);

  useEffect(() => {
    generation.current += 1;
    setLoaded({ state: 'loading' });
    setCursor(undefined);
    setMoreError(undefined);
    void read(undefined, false);
  }, deps);

  const more = useCallback(() => {
    if (cursor === undefined) return;
    setLoadingMore(true);
    setMoreError(undefined);
    void read(cursor, true).finally(() => setLoadingMore(false));
  }, [cursor, read]);

  return { loaded, cursor, scanned, loadingMore, moreError, more };
};
