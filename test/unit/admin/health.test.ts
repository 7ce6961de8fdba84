/**
 * Interface under test: `GET /admin/health` through the admin handler, with the configured Graph API
 * version and the clock injected: the version's end, days left, the 60-day flag, the warning log and
 * the metrics.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type AdminDeps, createAdminHandler } from '../../../lambdas/admin/admin-api';
import { httpEvent } from '../../helpers/api-gateway-event';

const DAY = 86_400_000;
/** v21.0 is available until 2027-01-21 (Meta's Graph API changelog, updated 2026-10-29). */
const V21_END = Date.parse('2027-01-21T00:00:00Z');

const setup = (graphApiVersion: string | undefined, now: number) => {
  const logger = new Logger({ serviceName: 'afterchat-test', logLevel: 'CRITICAL' });
  const warn = jest.spyOn(logger, 'warn');
  const metrics = new Metrics({ namespace: 'afterchat', serviceName: 'afterchat-test' });
  const emitted: { name: string; value: number; metadata: Record<string, string> }[] = [];
  jest.spyOn(metrics, 'singleMetric').mockImplementation(() => {
    const metadata: Record<string, string> = {};
    const single = {
      addMetadata: (key: string, value: string) => void (metadata[key] = value),
      addMetric: (name: string, _unit: string, value: number) => void emitted.push({ name, value, metadata }),
    };
    return single as unknown as Metrics;
  });
  const handler = createAdminHandler({
    store: {} as AdminDeps['store'],
    accounts: {} as AdminDeps['accounts'],
    automationConfigs: {} as AdminDeps['automationConfigs'],
    clock: () => now,
    logger,
    sends: {} as AdminDeps['sends'],
    campaigns: {} as AdminDeps['campaigns'],
    profiles: {} as AdminDeps['profiles'],
    graphApiVersion,
    metrics,
  });
  const health = async () => {
    const result = await handler(httpEvent({ method: 'GET', path: '/admin/health' }));
    return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
  };
  return { health, warn, emitted };
};

describe('GET /admin/health', () => {
  it('flags a version ending in 30 days, logs a warning and emits the days-left and ending-soon metrics', async () => {
    // Prepare
    const now = V21_END - 30 * DAY;
    const { health, warn, emitted } = setup('v21.0', now);

    // Act
    const answer = await health();

    // Assess
    expect(answer).toEqual({
      status: 200,
      body: {
        status: 'warning',
        checkedAt: '2026-12-22T00:00:00.000Z',
        warnings: [expect.stringMatching(/^Graph API v21\.0 ends 2027-01-21T00:00:00\.000Z \(30 days left\)/)],
        graphApi: {
          version: 'v21.0',
          status: 'ending_soon',
          endingSoon: true,
          introduced: '2024-10-02',
          endsAt: '2027-01-21T00:00:00.000Z',
          daysLeft: 30,
          source: { title: "Meta's Graph API changelog", url: 'https://developers.facebook.com/documentation/development/graph-api/changelog', updated: '2026-10-29' },
        },
      },
    });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('v21.0 ends'), expect.objectContaining({ checkedBy: 'admin-health' }));
    expect(emitted).toEqual([
      { name: 'GraphApiVersionDaysLeft', value: 30, metadata: { graphApiVersion: 'v21.0' } },
      { name: 'GraphApiVersionEndingSoon', value: 1, metadata: { graphApiVersion: 'v21.0' } },
    ]);
  });

  it('shows a version far from its end as ok, with its end date, and stays quiet', async () => {
    const { health, warn, emitted } = setup('v25.0', Date.parse('2026-12-01T00:00:00Z'));
    expect(await health()).toEqual({
      status: 200,
      body: expect.objectContaining({
        status: 'ok',
        warnings: [],
        graphApi: expect.objectContaining({ version: 'v25.0', status: 'ok', endingSoon: false, endsAt: '2028-07-29T00:00:00.000Z', daysLeft: 606 }) as unknown,
      }) as unknown,
    });
    expect(warn).not.toHaveBeenCalled();
    expect(emitted).toEqual([]);
  });

  it('reports an ended version as an error', async () => {
    const { health, emitted } = setup('v20.0', Date.parse('2026-12-01T00:00:00Z'));
    expect((await health()).body).toMatchObject({ status: 'error', graphApi: { status: 'ended', endingSoon: true, daysLeft: 0 } });
    expect(emitted.map((m) => m.name)).toEqual(['GraphApiVersionDaysLeft', 'GraphApiVersionEndingSoon']);
  });

  it('warns about a version the table does not know, without metrics', async () => {
    const { health, warn, emitted } = setup('v27.0', Date.parse('2026-12-01T00:00:00Z'));
    expect((await health()).body).toMatchObject({ status: 'warning', graphApi: { version: 'v27.0', status: 'unknown_version', endsAt: null } });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(emitted).toEqual([]);
  });

  it('reports a missing version as an error rather than guessing one', async () => {
    const { health } = setup(undefined, Date.parse('2026-12-01T00:00:00Z'));
    expect((await health()).body).toMatchObject({ status: 'error', graphApi: { version: null }, warnings: [expect.stringMatching(/No Graph API version/)] });
  });
});
