/**
 * Interface under test: the sender use case (createSender) paced by the shared limiter's DynamoDB
 * adapter on dynalite — one adapter per logical sender instance over one table — against the Meta
 * simulator, in virtual time (test/helpers/virtual-sending.ts). dynalite answers in real time while
 * the virtual clock waits; each request costs 5 ms (read) or 8 ms (write) of virtual time, and those
 * due at the same instant reach dynalite one at a time in a seeded order: every run gives the same
 * figure (98.0 % of 80, 97.8 % of 1,000 msg/s).
 */
import { DynamoDbSendLimiter } from '../../lambdas/adapters/dynamodb/send-limiter';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';
import { rateRunJobs, runVirtualSending, sendersFor, virtualDynamoClient, type VirtualJob, type VirtualTime } from '../helpers/virtual-sending';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('virtual-pacing');
});

afterAll(() => table.close());

const dynamoLimiters = (time: VirtualTime) => {
  const client = virtualDynamoClient(table.client, time);
  return () => new DynamoDbSendLimiter(client, table.tableName);
};

describe('pacing across sender instances, in virtual time (DynamoDB limiter on dynalite)', () => {
  it.each([
    [80, 20],
    [1000, 8],
  ])('%d msg/s: %d s with enough instances to outrun it reach the rate within ±5 %, with no 130429 and no 131056', async (rate, seconds) => {
    const run = await runVirtualSending({
      ratePerSecond: rate,
      senders: sendersFor(rate),
      jobs: rateRunJobs(Math.ceil(rate * seconds * 1.3)),
      durationMs: seconds * 1000,
      limiterFactory: dynamoLimiters,
      // Each run its own number in the shared table: its own slot and pair items.
      phoneNumberId: `10987654321${String(rate).padStart(4, '0')}`,
    });
    expect(run.achievedRatePerSecond / rate).toBeGreaterThanOrEqual(0.95);
    expect(run.achievedRatePerSecond / rate).toBeLessThanOrEqual(1);
    expect(run.throughputRefusals).toBe(0);
    expect(run.pairRateRefusals).toBe(0);
    expect(run.otherRefusals).toBe(0);
  }, 180_000);

  it('TIER_250: never reaches more than 250 people outside the window in a rolling 24 h; one-off sends over it are refused, a campaign’s wait and go', async () => {
    const jobs: VirtualJob[] = [];
    for (let i = 0; i < 300; i += 1) jobs.push({ userId: `4918${String(i).padStart(9, '0')}`, kind: 'template', campaign: i % 6 !== 5 });
    const run = await runVirtualSending({ ratePerSecond: 80, senders: 4, jobs, tier: 'TIER_250', limiterFactory: dynamoLimiters, phoneNumberId: '109876543219999' });
    expect(run.maxOutOfWindowReach).toBe(250);
    const refused = run.outcomes['skipped:messaging_limit_reached'] ?? 0;
    expect(refused).toBeGreaterThan(0);
    expect(run.outcomes.sent).toBe(jobs.length - refused);
    expect(run.throughputRefusals + run.pairRateRefusals + run.otherRefusals).toBe(0);
  }, 180_000);
});
