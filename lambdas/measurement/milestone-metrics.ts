import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { FunnelMilestones, Milestone, MilestoneEvent } from '../ports/funnel-milestones';
import type { StatusFunnel } from '../ports/status-funnel';

/**
 * The funnel's Powertools metrics (namespace afterchat, the function's `service`), one per milestone
 * the dashboard graphs (lib/constructs/monitoring.ts `FUNNEL_METRICS`), counted where the funnel
 * counts the milestone the first time for its message. `billed` is not one: its count is the
 * delivered one, and its money is in the reports.
 */
export const MILESTONE_METRICS: Readonly<Partial<Record<Milestone, string>>> = {
  delivered: 'FunnelDelivered',
  read: 'FunnelRead',
  clicked: 'FunnelClicked',
  replied: 'FunnelReplied',
  converted: 'FunnelConverted',
  limited: 'FunnelLimited',
  opted_out: 'FunnelOptedOut',
  failed: 'FunnelFailed',
};

type MetricSink = Pick<Metrics, 'addMetric'>;

/**
 * Adds the milestones counted to the invocation's metrics, one value per name: they leave in the
 * invocation's one EMF line with the function's other metrics (no log line of their own, so the
 * status webhook's cost stays where the scale bench put it).
 */
export const milestoneMetrics =
  (metrics: MetricSink) =>
  (events: readonly Pick<MilestoneEvent, 'milestone'>[]): void => {
    const counts = new Map<string, number>();
    for (const { milestone } of events) {
      const name = MILESTONE_METRICS[milestone];
      if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const [name, count] of counts) metrics.addMetric(name, MetricUnit.Count, count);
  };

/** Milestones recorded one by one (a click, a reply, a conversion): metered when `record` says it was the first time. */
export const meteredMilestones = (inner: FunnelMilestones, metrics: MetricSink): FunnelMilestones => {
  const add = milestoneMetrics(metrics);
  return {
    record: async (event) => {
      const first = await inner.record(event);
      if (first) add([event]);
      return first;
    },
  };
};

/** The status webhooks' milestones: those the funnel counted, as it answers them. */
export const meteredStatuses = (inner: StatusFunnel, metrics: MetricSink): StatusFunnel => {
  const add = milestoneMetrics(metrics);
  return {
    countStatuses: async (landed) => {
      const counted = await inner.countStatuses(landed);
      add(counted.map((c) => c.event));
      return counted;
    },
  };
};
