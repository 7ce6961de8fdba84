/** Interface under test: checkGraphApiVersion and its warning, over the dated Graph API version table. */
import {
  checkGraphApiVersion,
  ENDING_SOON_DAYS,
  GRAPH_API_VERSIONS,
  graphApiVersionWarning,
} from '../../../lambdas/domain/graph-api-versions';

const DAY = 86_400_000;
/** v21.0 is available until 2027-01-21 (Meta's Graph API changelog, updated 2026-10-29). */
const V21_END = Date.parse('2027-01-21T00:00:00Z');

describe('checkGraphApiVersion', () => {
  it('flags a version ending in 30 days as ending soon, with 30 days left and its end as ISO-8601', () => {
    // Act
    const check = checkGraphApiVersion('v21.0', V21_END - 30 * DAY);

    // Assess
    expect(check).toEqual({
      version: 'v21.0',
      status: 'ending_soon',
      introduced: '2024-10-02',
      endsAt: '2027-01-21T00:00:00.000Z',
      daysLeft: 30,
      source: expect.objectContaining({ url: 'https://developers.facebook.com/documentation/development/graph-api/changelog', updated: '2026-10-29' }) as unknown,
    });
    expect(graphApiVersionWarning(check)).toMatch(/v21\.0 ends 2027-01-21T00:00:00\.000Z \(30 days left\)/);
  });

  it('starts warning exactly 60 days before the end, not 61', () => {
    expect(ENDING_SOON_DAYS).toBe(60);
    expect(checkGraphApiVersion('v21.0', V21_END - 61 * DAY)).toMatchObject({ status: 'ok', daysLeft: 61 });
    expect(checkGraphApiVersion('v21.0', V21_END - 60 * DAY)).toMatchObject({ status: 'ending_soon', daysLeft: 60 });
  });

  it('rounds a part day up, so the last hours still count as a day left', () => {
    expect(checkGraphApiVersion('v21.0', V21_END - 3_600_000)).toMatchObject({ status: 'ending_soon', daysLeft: 1 });
  });

  it('reports a version past its end as ended with no days left', () => {
    // v20.0 was available until 2026-09-24.
    const check = checkGraphApiVersion('v20.0', Date.parse('2026-12-01T00:00:00Z'));
    expect(check).toMatchObject({ status: 'ended', endsAt: '2026-09-24T00:00:00.000Z', daysLeft: 0 });
    expect(checkGraphApiVersion('v21.0', V21_END)).toMatchObject({ status: 'ended', daysLeft: 0 });
    expect(graphApiVersionWarning(check)).toMatch(/v20\.0 ended 2026-09-24/);
  });

  it('reports a version the table does not know as unknown, without dates', () => {
    const check = checkGraphApiVersion('v19.0', Date.parse('2026-12-01T00:00:00Z'));
    expect(check).toEqual({ version: 'v19.0', status: 'unknown_version', introduced: null, endsAt: null, daysLeft: null, source: null });
    expect(graphApiVersionWarning(check)).toMatch(/not in the version table/);
  });

  it('is ok, with no end and no warning, for a version whose end Meta has not announced (v26.0)', () => {
    const check = checkGraphApiVersion('v26.0', Date.parse('2026-12-01T00:00:00Z'));
    expect(check).toMatchObject({ status: 'ok', introduced: '2026-07-29', endsAt: null, daysLeft: null });
    expect(graphApiVersionWarning(check)).toBeUndefined();
  });

  it('is ok for the stages’ v25.0 in December 2026, with its end 2028-07-29', () => {
    const check = checkGraphApiVersion('v25.0', Date.parse('2026-12-01T00:00:00Z'));
    expect(check).toMatchObject({ status: 'ok', endsAt: '2028-07-29T00:00:00.000Z', daysLeft: 606 });
    expect(graphApiVersionWarning(check)).toBeUndefined();
  });
});

describe('GRAPH_API_VERSIONS', () => {
  it('holds the changelog’s dates, each row citing it, and no guessed name for the 2026-11-04 version', () => {
    expect(GRAPH_API_VERSIONS.map((r) => [r.version, r.introduced, r.availableUntil])).toEqual([
      ['v26.0', '2026-07-29', null],
      ['v25.0', '2026-02-18', '2028-07-29'],
      ['v24.0', '2025-10-08', '2028-02-18'],
      ['v23.0', '2025-05-29', '2027-10-08'],
      ['v22.0', '2025-01-21', '2027-05-20'],
      ['v21.0', '2024-10-02', '2027-01-21'],
      ['v20.0', '2024-05-21', '2026-09-24'],
    ]);
    for (const row of GRAPH_API_VERSIONS) {
      expect(row.source).toEqual({ title: "Meta's Graph API changelog", url: 'https://developers.facebook.com/documentation/development/graph-api/changelog', updated: '2026-10-29' });
    }
  });
});
