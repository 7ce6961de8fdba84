import type { ReactNode } from 'react';
import type { Loaded } from '../api/use-api';

/**
 * Loading, error and empty states, one way everywhere: `children` renders only with data, and
 * `isEmpty` decides when there is nothing to show (then `empty` says so, and what to do).
 */
export const DataState = <T,>({
  loaded,
  children,
  isEmpty,
  empty = 'Nothing here yet.',
  what = 'data',
}: {
  loaded: Loaded<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  what?: string;
}) => {
  if (loaded.state === 'loading') return <p className="muted" role="status" aria-live="polite">Loading {what}…</p>;
  if (loaded.state === 'error') return <p className="error" role="alert">Could not load {what}: {loaded.error}</p>;
  if (isEmpty?.(loaded.data)) return <p className="empty">{empty}</p>;
  return <>{children(loaded.data)}</>;
};
