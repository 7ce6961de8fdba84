import type { Pages } from './use-pages';

/** "More" while a cursor says more pages follow, and why the last one couldn't be read. */
export const MoreButton = <R,>({ pages }: { pages: Pick<Pages<R>, 'cursor' | 'more' | 'loadingMore' | 'moreError'> }) => (
  <>
    {pages.cursor ? (
      <button type="button" className="secondary" onClick={pages.more} disabled={pages.loadingMore}>
        {pages.loadingMore ? 'Reading…' : 'More'}
      </button>
    ) : null}
    {pages.moreError ? (
      <p className="error" role="alert">
        Could not read more: {pages.moreError}
      </p>
    ) : null}
  </>
);
