/** The funnel's dashboard metrics: one value per milestone name and invocation, billed not among them, first times only. */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { meteredMilestones, meteredStatuses, milestoneMetrics } from '../../../lambdas/measurement/milestone-metrics';
import type { CountedMilestone } from '../../../lambdas/ports/status-funnel';

describe('milestoneMetrics', () => {
  const metrics = new Metrics({ namespace: 'afterchat', serviceName: 'test' });
  const addMetric = jest.spyOn(metrics, 'addMetric');
  beforeEach(() => addMetric.mockClear());

  it('adds each milestone counted once per name, summed, and leaves billed to the reports', () => {
    milestoneMetrics(metrics)([{ milestone: 'delivered' }, { milestone: 'billed' }, { milestone: 'delivered' }, { milestone: 'read' }, { milestone: 'limited' }, { milestone: 'opted_out' }]);

    expect(addMetric.mock.calls).toEqual([
      ['FunnelDelivered', 'Count', 2],
      ['FunnelRead', 'Count', 1],
      ['FunnelLimited', 'Count', 1],
      ['FunnelOptedOut', 'Count', 1],
    ]);
  });

  it('adds nothing when nothing was counted', () => {
    milestoneMetrics(metrics)([]);
    expect(addMetric).not.toHaveBeenCalled();
  });
});

describe('meteredMilestones and meteredStatuses', () => {
  const metrics = new Metrics({ namespace: 'afterchat', serviceName: 'test' });
  const addMetric = jest.spyOn(metrics, 'addMetric');
  beforeEach(() => addMetric.mockClear());

  it('meters a milestone recorded the first time, not a repeat', async () => {
    const seen = new Set<string>();
    const funnel = meteredMilestones({ record: (e) => Promise.resolve(!seen.has(e.outboxId) && Boolean(seen.add(e.outboxId))) }, metrics);

    expect(await funnel.record({ outboxId: 'ob_1', milestone: 'clicked', at: 1 })).toBe(true);
    expect(await funnel.record({ outboxId: 'ob_1', milestone: 'clicked', at: 2 })).toBe(false);

    expect(addMetric.mock.calls).toEqual([['FunnelClicked', 'Count', 1]]);
  });

  it('meters the milestones the status funnel counted, and answers them unchanged', async () => {
    const record = {} as CountedMilestone['record'];
    const counted: CountedMilestone[] = [
      { event: { outboxId: 'ob_1', milestone: 'delivered', at: 1 }, record },
      { event: { outboxId: 'ob_1', milestone: 'billed', at: 1 }, record },
      { event: { outboxId: 'ob_2', milestone: 'limited', at: 1, errorCode: 131049 }, record },
    ];
    const funnel = meteredStatuses({ countStatuses: () => Promise.resolve(counted) }, metrics);

    expect(await funnel.countStatuses([])).toBe(counted);
    expect(addMetric.mock.calls).toEqual([
      ['FunnelDelivered', 'Count', 1],
      ['FunnelLimited', 'Count', 1],
    ]);
  });
});
