import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type GraphApiVersionCheck, graphApiVersionWarning } from '../domain/graph-api-versions';

/**
 * Says so when the configured Graph API version needs attention: a Powertools warning log, and, when
 * its end is within 60 days or past, the metrics `GraphApiVersionDaysLeft` (days) and
 * `GraphApiVersionEndingSoon` (1), each flushed at once (single metrics), so callers outside a
 * `logMetrics` middleware (the admin API, a cold start) need nothing else. Silent while all is well.
 */
export function alertGraphApiVersion(check: GraphApiVersionCheck, deps: { logger: Logger; metrics?: Metrics }, where: string): void {
  const warning = graphApiVersionWarning(check);
  if (warning === undefined) return;
  deps.logger.warn(warning, { graphApi: check, checkedBy: where });
  if (check.daysLeft === null || !deps.metrics) return;
  for (const [name, unit, value] of [
    ['GraphApiVersionDaysLeft', MetricUnit.Count, check.daysLeft],
    ['GraphApiVersionEndingSoon', MetricUnit.Count, 1],
  ] as const) {
    const single = deps.metrics.singleMetric();
    single.addMetadata('graphApiVersion', check.version);
    single.addMetric(name, unit, value);
  }
}
