// Helpers shared by the template tests: logical IDs of L2 constructs and loose reference checks.
import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

export type Resource = { Type: string; Properties: Record<string, unknown> } & Record<string, unknown>;

/** Logical ID of an L2 construct's CloudFormation resource. */
export function idOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** True when a (possibly cross-stack) CloudFormation value points at the given logical ID. */
export function refersTo(value: unknown, logicalId: string): boolean {
  // JSON.stringify(undefined) is undefined: an absent property refers to nothing.
  return (JSON.stringify(value) ?? '').includes(logicalId);
}

/** Every resource of one type, keyed by logical ID. */
export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Statements of every inline policy attached to the given role. */
export function statementsFor(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => refersTo(policy.Properties.Roles, roleLogicalId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement);
}

/** Actions the statements allow on resources that refer to the given logical ID. */
export function actionsOn(statements: PolicyStatementJson[], logicalId: string): string[] {
  return statements
    .filter((s) => s.Effect === 'Allow' && refersTo(s.Resource, logicalId))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .sort();
}

/**
 * The properties of the one alarm on a DLQ's visible messages: both DLQs alarm alike (lib/constructs/queues.ts),
 * on the first minute with any message, and quietly without data.
 */
export function dlqAlarmOf(template: Template, dlqLogicalId: string): Record<string, unknown> | undefined {
  const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).filter((a) => refersTo(a.Properties.Dimensions, dlqLogicalId));
  return alarms.length === 1 ? alarms[0]?.Properties : undefined;
}

export const dlqAlarmProperties = (dlqLogicalId: string) => ({
  Namespace: 'AWS/SQS',
  MetricName: 'ApproximateNumberOfMessagesVisible',
  Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqLogicalId, 'QueueName'] } }],
  Statistic: 'Maximum',
  Period: 60,
  EvaluationPeriods: 1,
  DatapointsToAlarm: 1,
  ComparisonOperator: 'GreaterThanThreshold',
  Threshold: 0,
  TreatMissingData: 'notBreaching',
});
