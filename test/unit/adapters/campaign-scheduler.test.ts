// CampaignScheduler on EventBridge: the rules and targets a campaign's schedule becomes, and pause/resume/remove.
import {
  DeleteRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EventBridgeCampaignScheduler } from '../../../lambdas/adapters/eventbridge/campaign-scheduler';
import { LOCAL_TIME_FIRING_EXPRESSION } from '../../../lambdas/domain/campaign/local-time';
import type { CampaignFiring } from '../../../lambdas/ports/campaign-scheduler';
import type { Campaign, CampaignSchedule } from '../../../lambdas/schemas/campaign';

const eventBridge = mockClient(EventBridgeClient);
const DISPATCHER = 'arn:aws:lambda:eu-central-1:123456789012:function:afterchat-dev-dispatcher';
const DLQ = 'arn:aws:sqs:eu-central-1:123456789012:afterchat-dev-campaign-dlq';

const scheduler = (deadLetterArn?: string) =>
  new EventBridgeCampaignScheduler({
    client: new EventBridgeClient({ region: 'eu-central-1' }),
    namePrefix: 'afterchat-dev-campaign-',
    dispatcherArn: DISPATCHER,
    ...(deadLetterArn ? { deadLetterArn } : {}),
  });

const campaign = (schedule: CampaignSchedule, status: Campaign['status'] = 'scheduled') => ({
  id: 'black-friday-2026',
  name: 'Black Friday 2026',
  schedule,
  status,
});

const notFound = () => new ResourceNotFoundException({ message: 'Rule afterchat-dev-campaign-black-friday-2026 does not exist.', $metadata: {} });

beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutRuleCommand).resolves({ RuleArn: 'arn:aws:events:eu-central-1:123456789012:rule/x' });
  eventBridge.on(PutTargetsCommand).resolves({ FailedEntryCount: 0, FailedEntries: [] });
  eventBridge.on(RemoveTargetsCommand).resolves({ FailedEntryCount: 0, FailedEntries: [] });
});

describe('schedule', () => {
  it.each<[string, CampaignSchedule, string]>([
    ['once, from the UTC instant', { kind: 'once', at: '2026-11-27T09:00:00Z' }, 'cron(0 9 27 11 ? 2026)'],
    ['once, given with an offset', { kind: 'once', at: '2026-01-01T00:30:00+01:00' }, 'cron(30 23 31 12 ? 2025)'],
    ['recurring, as written', { kind: 'recurring', expression: 'cron(0 8 ? * MON *)' }, 'cron(0 8 ? * MON *)'],
    ['local_time, on the grid the dispatcher matches local times on', { kind: 'local_time', at: '08:30', days: ['MON'] }, LOCAL_TIME_FIRING_EXPRESSION],
  ])('puts an enabled, tagged rule on the default bus: %s', async (_, schedule, expression) => {
    await expect(scheduler().schedule(campaign(schedule))).resolves.toEqual({ ruleName: 'afterchat-dev-campaign-black-friday-2026' });

    expect(eventBridge.commandCalls(PutRuleCommand).map((c) => c.args[0].input)).toEqual([
      {
        Name: 'afterchat-dev-campaign-black-friday-2026',
        ScheduleExpression: expression,
        State: 'ENABLED',
        Description: 'afterchat campaign black-friday-2026: Black Friday 2026',
        Tags: [
          { Key: 'afterchat:campaign', Value: 'black-friday-2026' },
          { Key: 'afterchat:managed-by', Value: 'afterchat' },
        ],
      },
    ]);
  });

  it('targets the dispatcher with the campaign id and firing time, a retry policy and no bus name', async () => {
    await scheduler().schedule(campaign({ kind: 'once', at: '2026-11-27T09:00:00Z' }));

    expect(eventBridge.commandCalls(PutTargetsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Rule: 'afterchat-dev-campaign-black-friday-2026',
        Targets: [
          {
            Id: 'dispatcher',
            Arn: DISPATCHER,
            InputTransformer: {
              InputPathsMap: { time: '$.time' },
              InputTemplate: '{"campaignId":"black-friday-2026","firingAt":<time>}',
            },
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          },
        ],
      },
    ]);
    expect(eventBridge).toHaveReceivedNthCommandWith(1, PutRuleCommand, { Name: 'afterchat-dev-campaign-black-friday-2026' });
    expect(eventBridge).toHaveReceivedNthCommandWith(2, PutTargetsCommand, { Rule: 'afterchat-dev-campaign-black-friday-2026' });
  });

  it('hands the dispatcher the firing as EventBridge fills it in from the scheduled event', async () => {
    await scheduler().schedule(campaign({ kind: 'local_time', at: '08:30' }));
    const template = eventBridge.commandCalls(PutTargetsCommand)[0]?.args[0].input.Targets?.[0]?.InputTransformer?.InputTemplate ?? '';

    // EventBridge puts the JSON value of `$.time` where `<time>` stands; a retry carries the same event.
    const firing: CampaignFiring = { campaignId: 'black-friday-2026', firingAt: '2026-05-20T03:00:00Z' };
    expect(JSON.parse(template.replace('<time>', JSON.stringify('2026-05-20T03:00:00Z')))).toEqual(firing);
  });

  it('dead-letters to the configured queue', async () => {
    await scheduler(DLQ).schedule(campaign({ kind: 'recurring', expression: 'rate(1 day)' }));

    expect(eventBridge).toHaveReceivedCommandWith(PutTargetsCommand, {
      Targets: [expect.objectContaining({ Id: 'dispatcher', DeadLetterConfig: { Arn: DLQ } })],
    });
  });

  it('keeps a paused campaign disabled when its schedule is replaced', async () => {
    await scheduler().schedule(campaign({ kind: 'recurring', expression: 'rate(1 day)' }, 'paused'));

    expect(eventBridge).toHaveReceivedCommandWith(PutRuleCommand, { State: 'DISABLED' });
  });

  it('fails with EventBridge codes when the target is refused', async () => {
    eventBridge.on(PutTargetsCommand).resolves({
      FailedEntryCount: 1,
      FailedEntries: [{ TargetId: 'dispatcher', ErrorCode: 'ConcurrentModificationException', ErrorMessage: 'try again' }],
    });

    await expect(scheduler().schedule(campaign({ kind: 'once', at: '2026-11-27T09:00:00Z' }))).rejects.toThrow(
      'EventBridge refused the dispatcher target of afterchat-dev-campaign-black-friday-2026: ConcurrentModificationException (try again)',
    );
  });

  it('shortens a name over 64 characters the same way every time, keeping the prefix', async () => {
    const id = `summer-sale-${'x'.repeat(51)}`;
    const { ruleName } = await scheduler().schedule({ ...campaign({ kind: 'recurring', expression: 'rate(1 day)' }), id });
    await scheduler().pause(id);

    expect(ruleName).toHaveLength(64);
    expect(ruleName).toMatch(/^afterchat-dev-campaign-summer-sale-x+-[0-9a-f]{8}$/);
    expect(eventBridge).toHaveReceivedCommandWith(DisableRuleCommand, { Name: ruleName });
    expect(eventBridge).toHaveReceivedCommandWith(PutRuleCommand, {
      Tags: [
        { Key: 'afterchat:campaign', Value: id },
        { Key: 'afterchat:managed-by', Value: 'afterchat' },
      ],
    });
  });
});

describe('pause and resume', () => {
  it('disables and enables the rule on the default bus', async () => {
    await scheduler().pause('black-friday-2026');
    await scheduler().resume('black-friday-2026');

    expect(eventBridge.commandCalls(DisableRuleCommand).map((c) => c.args[0].input)).toEqual([{ Name: 'afterchat-dev-campaign-black-friday-2026' }]);
    expect(eventBridge.commandCalls(EnableRuleCommand).map((c) => c.args[0].input)).toEqual([{ Name: 'afterchat-dev-campaign-black-friday-2026' }]);
  });

  it('fails when the campaign was never scheduled', async () => {
    eventBridge.on(DisableRuleCommand).rejects(notFound());

    await expect(scheduler().pause('black-friday-2026')).rejects.toThrow(ResourceNotFoundException);
  });
});

describe('remove', () => {
  it('removes the target, then deletes the rule', async () => {
    await scheduler().remove('black-friday-2026');

    expect(eventBridge).toHaveReceivedCommandTimes(RemoveTargetsCommand, 1);
    expect(eventBridge).toHaveReceivedNthCommandWith(1, RemoveTargetsCommand, { Rule: 'afterchat-dev-campaign-black-friday-2026', Ids: ['dispatcher'] });
    expect(eventBridge).toHaveReceivedNthCommandWith(2, DeleteRuleCommand, { Name: 'afterchat-dev-campaign-black-friday-2026' });
  });

  it('treats a rule that is already gone as removed', async () => {
    eventBridge.on(RemoveTargetsCommand).rejects(notFound());
    eventBridge.on(DeleteRuleCommand).rejects(notFound());

    await expect(scheduler().remove('black-friday-2026')).resolves.toBeUndefined();
    expect(eventBridge).toHaveReceivedCommandTimes(DeleteRuleCommand, 1);
  });

  it('still deletes the rule when its target was already removed', async () => {
    eventBridge.on(RemoveTargetsCommand).rejects(notFound());

    await scheduler().remove('black-friday-2026');

    expect(eventBridge).toHaveReceivedCommandWith(DeleteRuleCommand, { Name: 'afterchat-dev-campaign-black-friday-2026' });
  });

  it('keeps the rule and fails when the target could not be removed', async () => {
    eventBridge.on(RemoveTargetsCommand).resolves({
      FailedEntryCount: 1,
      FailedEntries: [{ TargetId: 'dispatcher', ErrorCode: 'InternalException', ErrorMessage: 'internal error' }],
    });

    await expect(scheduler().remove('black-friday-2026')).rejects.toThrow('InternalException (internal error)');
    expect(eventBridge).not.toHaveReceivedCommand(DeleteRuleCommand);
  });

  it('passes on other errors', async () => {
    eventBridge.on(DeleteRuleCommand).rejects(new Error('AccessDeniedException'));

    await expect(scheduler().remove('black-friday-2026')).rejects.toThrow('AccessDeniedException');
  });
});

describe('configuration', () => {
  it('refuses a name prefix EventBridge or the name limit would not allow', () => {
    expect(() => new EventBridgeCampaignScheduler({ client: new EventBridgeClient({}), namePrefix: 'afterchat dev/', dispatcherArn: DISPATCHER })).toThrow(
      "namePrefix must be at most 54 characters of A-Z, a-z, 0-9, '.', '-' and '_'",
    );
  });
});
