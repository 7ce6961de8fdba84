/**
 * Campaign schedules as EventBridge scheduled rules, one per campaign, each with the dispatcher as
 * its only target.
 *
 * Scheduled rules can only live on the account's **default** event bus (EventBridge user guide,
 * "Creating a rule that runs on a schedule"), so no command here names a bus. Business-event rules
 * (event patterns) may live on a custom bus; they are routing, defined with the infrastructure.
 */
import { createHash } from 'node:crypto';
import {
  DeleteRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { ruleExpression } from '../../domain/campaign/rule-expression';
import type { CampaignScheduler } from '../../ports/campaign-scheduler';
import type { Campaign } from '../../schemas/campaign';

const TARGET_ID = 'dispatcher';
/** EventBridge's limits on rule names. */
const MAX_RULE_NAME = 64;
const RULE_NAME_CHARS = /^[A-Za-z0-9._-]+$/;
const HASH_CHARS = 8;
/** Room the prefix leaves for at least the start of the id, a dash and the hash. */
const MAX_PREFIX = MAX_RULE_NAME - HASH_CHARS - 2;

export interface EventBridgeCampaignSchedulerOptions {
  client: EventBridgeClient;
  /** Start of every rule name, e.g. `afterchat-dev-campaign-`. IAM policies are scoped to it, so it is always kept whole. */
  namePrefix: string;
  /** The rules' target; only `schedule` needs it (the dispatcher itself only removes rules). */
  dispatcherArn?: string;
  /** SQS queue that receives the invocations EventBridge gives up on. */
  deadLetterArn?: string;
}

export class EventBridgeCampaignScheduler implements CampaignScheduler {
  private readonly client: EventBridgeClient;
  private readonly namePrefix: string;
  private readonly dispatcherArn: string | undefined;
  private readonly deadLetterArn: string | undefined;

  constructor(options: EventBridgeCampaignSchedulerOptions) {
    if (options.namePrefix.length > MAX_PREFIX || !RULE_NAME_CHARS.test(options.namePrefix)) {
      throw new Error(`namePrefix must be at most ${MAX_PREFIX} characters of A-Z, a-z, 0-9, '.', '-' and '_'`);
    }
    this.client = options.client;
    this.namePrefix = options.namePrefix;
    this.dispatcherArn = options.dispatcherArn;
    this.deadLetterArn = options.deadLetterArn;
  }

  async schedule(campaign: Pick<Campaign, 'id' | 'name' | 'schedule' | 'status'>): Promise<{ ruleName: string }> {
    const dispatcherArn = this.dispatcherArn;
    if (dispatcherArn === undefined) throw new Error('this scheduler was built without dispatcherArn, so it cannot create rules');
    const ruleName = this.ruleName(campaign.id);
    await this.client.send(
      new PutRuleCommand({
        Name: ruleName,
        ScheduleExpression: ruleExpression(campaign.schedule),
        // PutRule replaces the whole rule, state included: re-scheduling a paused campaign must not wake it.
        State: campaign.status === 'paused' ? 'DISABLED' : 'ENABLED',
        Description: `afterchat campaign ${campaign.id}: ${campaign.name}`.slice(0, 512),
        // EventBridge applies tags when it creates the rule; they let operators find afterchat's rules.
        Tags: [
          { Key: 'afterchat:campaign', Value: campaign.id },
          { Key: 'afterchat:managed-by', Value: 'afterchat' },
        ],
      }),
    );
    const result = await this.client.send(
      new PutTargetsCommand({
        Rule: ruleName,
        Targets: [
          {
            Id: TARGET_ID,
            Arn: dispatcherArn,
            // The scheduled event's `time` rides along: a retried firing keeps it, the dispatcher's clock would not.
            InputTransformer: {
              InputPathsMap: { time: '$.time' },
              InputTemplate: `{"campaignId":${JSON.stringify(campaign.id)},"firingAt":<time>}`,
            },
            // A firing more than an hour late is dropped (or dead-lettered) rather than sent late.
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
            ...(this.deadLetterArn ? { DeadLetterConfig: { Arn: this.deadLetterArn } } : {}),
          },
        ],
      }),
    );
    // A rule without its target would look scheduled and never send.
    if (result.FailedEntryCount) {
      throw new Error(`EventBridge refused the dispatcher target of ${ruleName}: ${failureCodes(result.FailedEntries)}`);
    }
    return { ruleName };
  }

  async pause(campaignId: string): Promise<void> {
    await this.client.send(new DisableRuleCommand({ Name: this.ruleName(campaignId) }));
  }

  async resume(campaignId: string): Promise<void> {
    await this.client.send(new EnableRuleCommand({ Name: this.ruleName(campaignId) }));
  }

  async remove(campaignId: string): Promise<void> {
    const ruleName = this.ruleName(campaignId);
    // EventBridge refuses to delete a rule that still has targets, so they go first.
    const result = await ignoreNotFound(this.client.send(new RemoveTargetsCommand({ Rule: ruleName, Ids: [TARGET_ID] })));
    if (result?.FailedEntryCount) {
      throw new Error(`EventBridge could not remove the dispatcher target of ${ruleName}: ${failureCodes(result.FailedEntries)}`);
    }
    await ignoreNotFound(this.client.send(new DeleteRuleCommand({ Name: ruleName })));
  }

  /**
   * prefix + id. Ids may reach 63 characters and rule names stop at 64, so a name that would be too
   * long keeps the prefix, as much of the id as fits and a hash of the whole id: still unique, and
   * the same on every call.
   */
  private ruleName(campaignId: string): string {
    const name = this.namePrefix + campaignId;
    if (name.length <= MAX_RULE_NAME) return name;
    const hash = createHash('sha256').update(campaignId).digest('hex').slice(0, HASH_CHARS);
    return `${name.slice(0, MAX_RULE_NAME - HASH_CHARS - 1)}-${hash}`;
  }
}

async function ignoreNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    // Already gone: removing is idempotent.
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

function failureCodes(entries: readonly { ErrorCode?: string; ErrorMessage?: string }[] | undefined): string {
  return (entries ?? []).map((e) => `${e.ErrorCode ?? 'unknown'} (${e.ErrorMessage ?? 'no message'})`).join(', ');
}
