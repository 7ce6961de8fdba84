import { Stack, type CfnResource } from 'aws-cdk-lib';
import { CfnEventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagPack, NagRuleCompliance, rules, type NagPackProps, type NagRuleResult } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** AWS recommends at least 5, so a few throttled polls alone do not dead-letter a message. */
export const MIN_MAX_RECEIVE_COUNT = 5;

function resolved(node: CfnResource, value: unknown): string {
  return JSON.stringify(Stack.of(node).resolve(value));
}

function readsFromSqs(mapping: CfnEventSourceMapping): boolean {
  const source = resolved(mapping, mapping.eventSourceArn);
  return (
    source.includes(':sqs:') ||
    Stack.of(mapping)
      .node.findAll()
      .some((child) => child instanceof CfnQueue && resolved(child, child.attrArn) === source)
  );
}

/** An SQS event source reports partial batch failures, so one bad record does not retry its batch. */
function sqsEventSourceReportsBatchItemFailures(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnEventSourceMapping) || !readsFromSqs(node)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const types: unknown = Stack.of(node).resolve(node.functionResponseTypes);
  return Array.isArray(types) && types.includes('ReportBatchItemFailures')
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}

/** A queue with a DLQ lets a message be received often enough to survive throttling. */
function sqsRedriveAllowsEnoughReceives(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnQueue)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const redrive = Stack.of(node).resolve(node.redrivePolicy) as { maxReceiveCount?: unknown } | undefined;
  if (redrive === undefined) {
    // Whether a queue needs a DLQ at all is AwsSolutions-SQS3's job.
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return Number(redrive.maxReceiveCount) >= MIN_MAX_RECEIVE_COUNT
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}

/**
 * Goal R4, "retry plumbing is correct by construction", as synth-time rules: every SQS-to-Lambda
 * event source gets a visibility timeout of at least 6x the function timeout and partial batch
 * responses, and every redrive policy allows at least 5 receives. Findings are acknowledged like
 * AwsSolutions ones, e.g. `Afterchat-SQSReportBatchItemFailures`.
 */
export class ReliabilityChecks extends NagPack {
  readonly name = 'Afterchat';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'Afterchat';
  }

  protected checkResource(node: CfnResource): void {
    this.applyRule({
      info: 'The SQS queue behind a Lambda event source has a visibility timeout under 6x the function timeout.',
      explanation:
        'Lambda retries throttled and timed-out batches inside the visibility timeout; a shorter one lets the message reappear and run twice.',
      level: NagMessageLevel.ERROR,
      rule: rules.lambda.LambdaEventSourceSQSVisibilityTimeout,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'SQSReportBatchItemFailures',
      info: 'The SQS event source does not enable ReportBatchItemFailures.',
      explanation:
        'Without partial batch responses one failing record returns the whole batch to the queue, re-running records that already succeeded.',
      level: NagMessageLevel.ERROR,
      rule: sqsEventSourceReportsBatchItemFailures,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'SQSMaxReceiveCount',
      info: `The SQS redrive policy has a maxReceiveCount below ${MIN_MAX_RECEIVE_COUNT}.`,
      explanation:
        'Throttled Lambda polls count as receives, so a low maxReceiveCount dead-letters healthy messages during a burst.',
      level: NagMessageLevel.ERROR,
      rule: sqsRedriveAllowsEnoughReceives,
      node,
    });
  }
}
