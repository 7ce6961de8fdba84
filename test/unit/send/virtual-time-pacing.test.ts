/**
 * Interface under test: the sender use case (createSender) paced by the shared limiter (in-memory
 * fake), N logical sender instances against the Meta simulator, in virtual time
 * (test/helpers/virtual-sending.ts): the rate Meta sees, its pair-rate and throughput checks, and the
 * portfolio's messaging limit over a rolling day.
 */
import { rateRunJobs, runVirtualSending, sendersFor, type VirtualJob } from '../../helpers/virtual-sending';

describe('pacing across sender instances, in virtual time (in-memory limiter)', () => {
  it.each([
    [80, 30],
    [1000, 6],
  ])('%d msg/s: %d s with enough instances to outrun it reach the rate within ±5 %, with no 130429 and no 131056', async (rate, seconds) => {
    const run = await runVirtualSending({ ratePerSecond: rate, senders: sendersFor(rate), jobs: rateRunJobs(Math.ceil(rate * seconds * 1.3)), durationMs: seconds * 1000 });
    expect(run.achievedRatePerSecond / rate).toBeGreaterThanOrEqual(0.95);
    expect(run.achievedRatePerSecond / rate).toBeLessThanOrEqual(1);
    expect(run.throughputRefusals).toBe(0);
    expect(run.pairRateRefusals).toBe(0);
    expect(run.otherRefusals).toBe(0);
    // People with many messages waited for the pair rate instead of being sent to too soon.
    expect(run.outcomes['queued:pair_rate']).toBeGreaterThan(0);
  }, 120_000);

  it('TIER_250: never reaches more than 250 people outside the window in a rolling 24 h; one-off sends over it are refused, a campaign’s wait a day and go', async () => {
    const jobs: VirtualJob[] = [];
    for (let i = 0; i < 360; i += 1) {
      // Campaign sends and one-off templates to people outside any window, and replies in open windows between them.
      jobs.push({ userId: `4916${String(i).padStart(9, '0')}`, kind: 'template', campaign: i % 6 !== 5 });
      if (i % 3 === 0) jobs.push({ userId: `4917${String(i).padStart(9, '0')}`, kind: 'reply' });
    }
    const run = await runVirtualSending({ ratePerSecond: 80, senders: 4, jobs, tier: 'TIER_250' });
    const oneOffs = jobs.filter((j) => j.kind === 'template' && !j.campaign).length;
    const campaign = jobs.filter((j) => j.campaign).length;
    const replies = jobs.filter((j) => j.kind === 'reply').length;

    expect(run.maxOutOfWindowReach).toBeLessThanOrEqual(250);
    const refused = run.outcomes['skipped:messaging_limit_reached'] ?? 0;
    expect(refused).toBeGreaterThan(0);
    // Every campaign send went out in the end (after the rolling day), every reply at once, and the one-offs within the limit.
    expect(run.outcomes.sent).toBe(campaign + replies + oneOffs - refused);
    expect(run.endedAt - run.accepted[0]!.at).toBeGreaterThan(24 * 3_600_000);
    expect(run.throughputRefusals + run.pairRateRefusals + run.otherRefusals).toBe(0);
  }, 120_000);
});
