// Checks the typed stage config that bin/app.ts turns the `stage` context into.
import { stageConfig } from '../../lib/config';

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
});
