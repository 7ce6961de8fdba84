// Checks the typed stage config that bin/app.ts turns the `stage` context into.
import { campaignRulePrefix, stageConfig } from '../../lib/config';

describe('stageConfig', () => {
  it('rejects an unknown stage before anything is built', () => {
    // Act
    const load = () => stageConfig('staging');

    // Assess
    expect(load).toThrow(/Unknown stage "staging"/);
  });

  it.each(['dev', 'prod'])('keeps %s throttling below the regional API Gateway quota shared by all APIs', (stage) => {
    // Act
    const { apiThrottle } = stageConfig(stage);

    // Assess
    expect(apiThrottle.rateLimit).toBeLessThan(10_000);
    expect(apiThrottle.burstLimit).toBeLessThan(5_000);
    expect(apiThrottle.burstLimit).toBeGreaterThan(0);
  });

  it.each(['dev', 'prod'])('gives the %s sender a Graph API version, a Pages’ default rate within Meta’s and a concurrency cap Lambda accepts', (stage) => {
    // Act
    const { send } = stageConfig(stage);

    // Assess
    expect(send.graphApiVersion).toBe('v25.0');
    // Meta's Send API allows 300 calls/s per Page; above 40/s the Page Inbox stops showing new messages.
    expect(send.messengerRatePerSecond).toBe(40);
    // The SQS event source's MaximumConcurrency must be 2 to 1,000.
    expect(Number.isInteger(send.senderMaxConcurrency)).toBe(true);
    expect(send.senderMaxConcurrency).toBeGreaterThanOrEqual(2);
    expect(send.senderMaxConcurrency).toBeLessThanOrEqual(1000);
  });

  it.each(['dev', 'prod'])('gives the %s campaign rules a name prefix EventBridge accepts, with room left for the campaign id', (stage) => {
    // Act
    const prefix = campaignRulePrefix(stage);

    // Assess
    expect(prefix).toBe(`afterchat-${stage}-campaign-`);
    // Rule names are at most 64 characters of [.\-_A-Za-z0-9]; the scheduler adapter needs room after the prefix for some of the id, a dash and an 8-character hash.
    expect(prefix).toMatch(/^[A-Za-z0-9._-]{1,54}$/);
  });
});
