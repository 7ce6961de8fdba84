/** Interface under test: LocalCampaignScheduler, the local stack's EventBridge rules for campaigns, driven by an injected clock. */
import { LOCAL_TIME_FIRING_EXPRESSION } from '../../../lambdas/domain/campaign/local-time';
import { LocalCampaignScheduler, type SkippedFirings } from '../../../lambdas/local/local-scheduler';
import type { CampaignFiring } from '../../../lambdas/ports/campaign-scheduler';
import type { Campaign, CampaignSchedule } from '../../../lambdas/schemas/campaign';

const at = (iso: string): number => Date.parse(iso);

const campaign = (id: string, schedule: CampaignSchedule, status: Campaign['status'] = 'scheduled') => ({ id, name: id, schedule, status });

/** A scheduler on a clock the test moves; `runAt` moves it and runs what is due then. */
const harness = (start: string, fire?: (firing: CampaignFiring) => Promise<void>) => {
  let now = at(start);
  const fired: CampaignFiring[] = [];
  const errors: [unknown, CampaignFiring | undefined][] = [];
  const skipped: SkippedFirings[] = [];
  const scheduler = new LocalCampaignScheduler({
    clock: () => now,
    fire: async (firing) => {
      fired.push(firing);
      await fire?.(firing);
    },
    onError: (error, firing) => errors.push([error, firing]),
    onSkipped: (skip) => skipped.push(skip),
  });
  const runAt = (iso: string): Promise<CampaignFiring[]> => {
    now = at(iso);
    return scheduler.runDue(now);
  };
  const moveTo = (iso: string): void => {
    now = at(iso);
  };
  return { scheduler, fired, errors, skipped, runAt, moveTo };
};

describe('LocalCampaignScheduler', () => {
  it('once: fires at the instant with the scheduled time, and never again', async () => {
    const { scheduler, runAt } = harness('2026-11-23T08:00:00Z');
    await expect(scheduler.schedule(campaign('bf', { kind: 'once', at: '2026-11-27T09:00:00Z' }))).resolves.toEqual({
      ruleName: 'afterchat-local-campaign-bf',
    });

    await expect(runAt('2026-11-27T08:59:59.999Z')).resolves.toEqual([]);
    // A tick lands after the fire time; the firing still carries the scheduled time.
    await expect(runAt('2026-11-27T09:00:00.700Z')).resolves.toEqual([{ campaignId: 'bf', firingAt: '2026-11-27T09:00:00.000Z' }]);
    await expect(runAt('2026-11-27T09:00:01Z')).resolves.toEqual([]);
    await expect(runAt('2027-11-27T09:00:00Z')).resolves.toEqual([]);
    expect(scheduler.rules()).toEqual([
      { campaignId: 'bf', ruleName: 'afterchat-local-campaign-bf', expression: 'cron(0 9 27 11 ? 2026)', enabled: true, nextFireAt: null },
    ]);
  });

  it('once in the past: never fires', async () => {
    const { scheduler, runAt } = harness('2026-11-28T08:00:00Z');
    await scheduler.schedule(campaign('late', { kind: 'once', at: '2026-11-27T09:00:00Z' }));

    await expect(runAt('2026-11-28T09:00:00Z')).resolves.toEqual([]);
    expect(scheduler.rules()[0]?.nextFireAt).toBeNull();
  });

  it('cron(0 9 ? * MON-FRI *): 09:00 UTC on weekdays, skipping the weekend', async () => {
    // 2026-11-27 is a Friday.
    const { scheduler, runAt, fired } = harness('2026-11-27T08:00:00Z');
    await scheduler.schedule(campaign('weekday', { kind: 'recurring', expression: 'cron(0 9 ? * MON-FRI *)' }));

    await runAt('2026-11-27T09:00:00.300Z');
    expect(scheduler.rules()[0]?.nextFireAt).toBe('2026-11-30T09:00:00.000Z');
    await runAt('2026-11-28T09:00:00Z');
    await runAt('2026-11-29T09:00:00Z');
    await runAt('2026-11-30T09:00:00Z');
    await runAt('2026-12-01T08:59:00Z');

    expect(fired).toEqual([
      { campaignId: 'weekday', firingAt: '2026-11-27T09:00:00.000Z' },
      { campaignId: 'weekday', firingAt: '2026-11-30T09:00:00.000Z' },
    ]);
  });

  it('rate(5 minutes): phased from when the rule was created, not from the hour', async () => {
    const { scheduler, runAt, fired } = harness('2026-11-23T08:00:20Z');
    await scheduler.schedule(campaign('pulse', { kind: 'recurring', expression: 'rate(5 minutes)' }));

    await runAt('2026-11-23T08:05:00Z');
    await runAt('2026-11-23T08:05:21Z');
    await runAt('2026-11-23T08:10:20Z');

    expect(fired.map((f) => f.firingAt)).toEqual(['2026-11-23T08:05:20.000Z', '2026-11-23T08:10:20.000Z']);
  });

  it('local_time: fires on the quarter-hour UTC grid the dispatcher matches local times on', async () => {
    const { scheduler, runAt, fired } = harness('2026-11-23T08:07:00Z');
    await scheduler.schedule(campaign('nine-local', { kind: 'local_time', at: '09:00' }));

    expect(scheduler.rules()[0]).toMatchObject({ expression: LOCAL_TIME_FIRING_EXPRESSION, nextFireAt: '2026-11-23T08:15:00.000Z' });
    await runAt('2026-11-23T08:15:00Z');
    await runAt('2026-11-23T08:29:59Z');
    await runAt('2026-11-23T08:30:00Z');
    await runAt('2026-11-23T08:45:01Z');

    expect(fired.map((f) => f.firingAt)).toEqual(['2026-11-23T08:15:00.000Z', '2026-11-23T08:30:00.000Z', '2026-11-23T08:45:00.000Z']);
  });

  describe('pause and resume', () => {
    it('a paused rule does not fire; resumed, it fires at the next fire time and not the ones it missed', async () => {
      const { scheduler, runAt, moveTo, fired } = harness('2026-11-23T08:00:00Z');
      await scheduler.schedule(campaign('q', { kind: 'local_time', at: '09:00' }));

      await scheduler.pause('q');
      expect(scheduler.rules()[0]).toMatchObject({ enabled: false, nextFireAt: null });
      await runAt('2026-11-23T08:15:00Z');
      await runAt('2026-11-23T09:00:00Z');
      expect(fired).toEqual([]);

      moveTo('2026-11-23T09:05:00Z');
      await scheduler.resume('q');
      expect(scheduler.rules()[0]).toMatchObject({ enabled: true, nextFireAt: '2026-11-23T09:15:00.000Z' });
      await runAt('2026-11-23T09:14:59Z');
      await runAt('2026-11-23T09:15:00Z');
      expect(fired).toEqual([{ campaignId: 'q', firingAt: '2026-11-23T09:15:00.000Z' }]);
    });

    it('a campaign scheduled while paused gets a disabled rule, and a rate keeps its phase from creation', async () => {
      const { scheduler, runAt, moveTo, fired } = harness('2026-11-23T08:00:20Z');
      await scheduler.schedule(campaign('p', { kind: 'recurring', expression: 'rate(5 minutes)' }, 'paused'));

      await runAt('2026-11-23T08:05:20Z');
      expect(fired).toEqual([]);

      moveTo('2026-11-23T08:07:00Z');
      await scheduler.resume('p');
      await runAt('2026-11-23T08:10:20Z');
      expect(fired).toEqual([{ campaignId: 'p', firingAt: '2026-11-23T08:10:20.000Z' }]);
    });

    it('resuming a rule that is already enabled keeps its pending fire time', async () => {
      const { scheduler, runAt, moveTo, fired } = harness('2026-11-23T08:00:00Z');
      await scheduler.schedule(campaign('q', { kind: 'local_time', at: '09:00' }));

      moveTo('2026-11-23T08:15:30Z');
      await scheduler.resume('q');
      await runAt('2026-11-23T08:15:30Z');
      expect(fired).toEqual([{ campaignId: 'q', firingAt: '2026-11-23T08:15:00.000Z' }]);
    });

    it('pause and resume of a campaign without a rule reject, as EventBridge does', async () => {
      const { scheduler } = harness('2026-11-23T08:00:00Z');
      await expect(scheduler.pause('nope')).rejects.toThrow('no local rule for campaign nope');
      await expect(scheduler.resume('nope')).rejects.toThrow('no local rule for campaign nope');
    });
  });

  it('remove stops the rule, and removing again is not an error', async () => {
    const { scheduler, runAt, fired } = harness('2026-11-23T08:00:00Z');
    await scheduler.schedule(campaign('gone', { kind: 'local_time', at: '09:00' }));

    await scheduler.remove('gone');
    await expect(scheduler.remove('gone')).resolves.toBeUndefined();
    await runAt('2026-11-23T10:00:00Z');

    expect(fired).toEqual([]);
    expect(scheduler.rules()).toEqual([]);
  });

  describe('scheduling again', () => {
    it('replaces the rule: only the new schedule fires', async () => {
      const { scheduler, runAt, fired } = harness('2026-11-23T08:00:00Z');
      await scheduler.schedule(campaign('c', { kind: 'once', at: '2026-11-23T09:00:00Z' }));
      await scheduler.schedule(campaign('c', { kind: 'once', at: '2026-11-23T10:00:00Z' }));

      await runAt('2026-11-23T09:00:00Z');
      await runAt('2026-11-23T10:00:00Z');

      expect(fired).toEqual([{ campaignId: 'c', firingAt: '2026-11-23T10:00:00.000Z' }]);
      expect(scheduler.rules()).toHaveLength(1);
    });

    it('keeps a paused campaign disabled', async () => {
      const { scheduler, runAt, fired } = harness('2026-11-23T08:00:00Z');
      await scheduler.schedule(campaign('c', { kind: 'local_time', at: '09:00' }));
      await scheduler.pause('c');
      await scheduler.schedule(campaign('c', { kind: 'local_time', at: '10:00' }, 'paused'));

      await runAt('2026-11-23T09:00:00Z');

      expect(fired).toEqual([]);
      expect(scheduler.rules()[0]?.enabled).toBe(false);
    });

    it('rejects an expression EventBridge would refuse', async () => {
      const { scheduler } = harness('2026-11-23T08:00:00Z');
      await expect(scheduler.schedule(campaign('bad', { kind: 'recurring', expression: 'rate(1 minutes)' }))).rejects.toThrow(
        'campaign bad: rate: a value of 1 takes "minute"',
      );
      expect(scheduler.rules()).toEqual([]);
    });
  });

  describe('after a long gap', () => {
    it('fires only the latest missed fire time, reports the others, then carries on from there', async () => {
      const { scheduler, runAt, fired, skipped } = harness('2026-11-23T08:07:00Z');
      await scheduler.schedule(campaign('q', { kind: 'local_time', at: '09:00' }));

      // Three days asleep: 08:15 on the 23rd through 08:00 on the 26th is 288 quarter hours.
      await expect(runAt('2026-11-26T08:07:00Z')).resolves.toEqual([{ campaignId: 'q', firingAt: '2026-11-26T08:00:00.000Z' }]);
      expect(skipped).toEqual([{ campaignId: 'q', count: 287, since: '2026-11-23T08:15:00.000Z', firingAt: '2026-11-26T08:00:00.000Z' }]);

      await runAt('2026-11-26T08:15:00Z');
      expect(fired.map((f) => f.firingAt)).toEqual(['2026-11-26T08:00:00.000Z', '2026-11-26T08:15:00.000Z']);
    });

    it('catches up over more fire times than it looks at in one step', async () => {
      const { scheduler, runAt, skipped } = harness('2026-11-23T08:00:00Z');
      await scheduler.schedule(campaign('m', { kind: 'recurring', expression: 'rate(1 minute)' }));

      await expect(runAt('2026-11-25T08:00:30Z')).resolves.toEqual([{ campaignId: 'm', firingAt: '2026-11-25T08:00:00.000Z' }]);
      expect(skipped).toEqual([{ campaignId: 'm', count: 2 * 24 * 60 - 1, since: '2026-11-23T08:01:00.000Z', firingAt: '2026-11-25T08:00:00.000Z' }]);
      expect(scheduler.rules()[0]?.nextFireAt).toBe('2026-11-25T08:01:00.000Z');
    });

    it('a once schedule whose instant passed during the gap fires once', async () => {
      const { scheduler, runAt, fired, skipped } = harness('2026-11-23T08:00:00Z');
      await scheduler.schedule(campaign('bf', { kind: 'once', at: '2026-11-27T09:00:00Z' }));

      await runAt('2026-12-15T00:00:00Z');
      await runAt('2026-12-16T00:00:00Z');

      expect(fired).toEqual([{ campaignId: 'bf', firingAt: '2026-11-27T09:00:00.000Z' }]);
      expect(skipped).toEqual([]);
    });
  });

  it("a rule whose target throws goes to onError and does not stop another rule's firing", async () => {
    const boom = new Error('dispatcher down');
    const { scheduler, runAt, fired, errors } = harness('2026-11-23T08:00:00Z', async (firing) => {
      if (firing.campaignId === 'broken') throw boom;
      await Promise.resolve();
    });
    await scheduler.schedule(campaign('broken', { kind: 'local_time', at: '09:00' }));
    await scheduler.schedule(campaign('fine', { kind: 'local_time', at: '09:00' }));

    await expect(runAt('2026-11-23T08:15:00Z')).resolves.toHaveLength(2);
    await runAt('2026-11-23T08:30:00Z');

    expect(fired.map((f) => `${f.campaignId} ${f.firingAt}`).sort()).toEqual([
      'broken 2026-11-23T08:15:00.000Z',
      'broken 2026-11-23T08:30:00.000Z',
      'fine 2026-11-23T08:15:00.000Z',
      'fine 2026-11-23T08:30:00.000Z',
    ]);
    expect(errors).toEqual([
      [boom, { campaignId: 'broken', firingAt: '2026-11-23T08:15:00.000Z' }],
      [boom, { campaignId: 'broken', firingAt: '2026-11-23T08:30:00.000Z' }],
    ]);
  });

  describe('start and stop', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('runs what is due on each tick of the timer until stopped', async () => {
      const { scheduler, moveTo, fired } = harness('2026-11-23T08:00:00Z');
      await scheduler.schedule(campaign('q', { kind: 'local_time', at: '09:00' }));

      scheduler.start(1000);
      moveTo('2026-11-23T08:15:00.400Z');
      await jest.advanceTimersByTimeAsync(1000);
      expect(fired).toEqual([{ campaignId: 'q', firingAt: '2026-11-23T08:15:00.000Z' }]);

      scheduler.stop();
      moveTo('2026-11-23T08:30:00Z');
      await jest.advanceTimersByTimeAsync(5000);
      expect(fired).toHaveLength(1);
    });
  });
});
