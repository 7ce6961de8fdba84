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
  refreshError?: string;
  /** `version` moved after "More" read further pages: the rows are older than the data, `refresh()` reads them again. */
  stale: boolean;
  /** Reads the first page again in place of the rows shown (and the further pages read). */
  refresh: () => void;
}

type Mode = 'first' | 'refresh' | 'more';

/**
 * A cursor-paged list: the first page when `deps` change ("Loading…"), the next ones on `more()`
 * ("more" buttons). When `version` changes (the data behind the list moved) the first page is read
 * again behind the rows shown, so the table neither flickers nor loses its sort; once "More" read
 * further pages, it only says it is `stale`, since reading again would drop the pages asked for.
 */
export const usePages = <R>(call: PageCall<R>, deps: readonly unknown[], version?: string): Pages<R> => {
  const [loaded, setLoaded] = useState<Loaded<R[]>>({ state: 'loading' });
  const [cursor, setCursor] = useState<string | undefined>();
  const [scanned, setScanned] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | undefined>();
  /** The first page is being read again; the rows shown stay until it arrives. */
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string | undefined>();
  const [stale, setStale] = useState(false);
  const latest = useRef(call);
  latest.current = call;
  const generation = useRef(0);
  /** "More" was asked for since the first page was read. */
  const extended = useRef(false);
  const seenVersion = useRef(version);

  const read = useCallback(async (after: string | undefined, mode: Mode) => {
    const mine = generation.current;
    const failed = (text: string) => {
      if (mode === 'more') setMoreError(text);
      else if (mode === 'first') setLoaded({ state: 'error', error: text });
      else {
        // A refresh that fails keeps the rows it would have replaced.
        setRefreshError(text);
        setLoaded((before) => (before.state === 'ready' ? before : { state: 'error', error: text }));
      }
    };
    try {
      const { page, error, status } = await latest.current(after);
      if (mine !== generation.current) return;
      if (!page) return failed(errorText(error, status));
      const append = mode === 'more';
      setLoaded((before) => ({ state: 'ready', data: append && before.state === 'ready' ? [...before.data, ...page.rows] : page.rows }));
      setCursor(page.cursor);
      setScanned((n) => (append ? n : 0) + (page.scanned ?? 0));
      if (!append) setRefreshError(undefined);
    } catch (error) {
      if (mine === generation.current) failed(errorText(error));
    } finally {
      if (mine === generation.current) {
        if (mode === 'more') setLoadingMore(false);
        if (mode === 'refresh') setRefreshing(false);
      }
    }
  }, []);

  /** Starts a read that supersedes any in flight. */
  const start = useCallback(
    (mode: Exclude<Mode, 'more'>) => {
      generation.current += 1;
      extended.current = false;
      setStale(false);
      setLoadingMore(false);
      setMoreError(undefined);
      setRefreshing(mode === 'refresh');
      void read(undefined, mode);
    },
    [read],
  );

  useEffect(() => {
    seenVersion.current = version;
    setLoaded({ state: 'loading' });
    setCursor(undefined);
    setRefreshError(undefined);
    start('first');
  }, deps);

  const refresh = useCallback(() => start('refresh'), [start]);

  useEffect(() => {
    if (version === seenVersion.current) return;
    seenVersion.current = version;
    if (extended.current) setStale(true);
    else refresh();
  }, [version, refresh]);

  const more = useCallback(() => {
    if (cursor === undefined) return;
    // A refresh in flight would replace the rows this page follows: drop it, and say the rows are stale.
    if (refreshing) {
      generation.current += 1;
      setRefreshing(false);
      setStale(true);
    }
    extended.current = true;
    setLoadingMore(true);
    setMoreError(undefined);
    void read(cursor, 'more');
  }, [cursor, read, refreshing]);

  return { loaded, cursor, scanned, loadingMore, moreError, more, refreshError, stale, refresh };
};
