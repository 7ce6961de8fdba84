// The funnel's stream consumer (lib/constructs/funnel-stream.ts): the state table's stream, filtered to status flags set on sends' outbox records, in shard order, dead-lettered and alarmed.
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from './app';
import { dlqAlarmOf, dlqAlarmProperties, idOf, resourcesOf } from './template-helpers';

describe('FunnelStream', () => {
  const { stateless, stateful } = buildApp({ stage: 'dev' });
  const template = Template.fromStack(stateless);
  const { funnelStream } = stateless;
  const fnId = idOf(funnelStream.function.function);
  const dlqId = idOf(funnelStream.deadLetterQueue);
  const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter(
    (m) => JSON.stringify((m.Properties as { FunctionName: unknown }).FunctionName) === JSON.stringify({ Ref: fnId }),
  );
  const mapping = mappings[0]?.Properties as Record<string, unknown>;

  it('gives the state table a stream with both images', () => {
    // Assess
    const table = resourcesOf(Template.fromStack(stateful), 'AWS::DynamoDB::GlobalTable')[idOf(stateful.table)]?.Properties as Record<string, unknown>;
    expect(table.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it("reads the stream in each shard's order, one batch at a time, from where it stands at deploy, in the form that names the shard", () => {
    // Assess
    expect(mappings).toHaveLength(1);
    expect(mapping).toMatchObject({ StartingPosition: 'LATEST', ParallelizationFactor: 1, TumblingWindowInSeconds: 900, BatchSize: 1000, MaximumBatchingWindowInSeconds: 5 });
  });

  it('lets through only a write that sets delivered, read or failed on an outbox record a send created', () => {
    // Assess
    const patterns = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) => JSON.parse(f.Pattern) as unknown);
    expect(patterns).toEqual(
      ['fm_delivered', 'fm_read', 'fm_failed'].map((flag) => ({
        eventName: ['MODIFY'],
        dynamodb: {
          Keys: { pk: { S: [{ prefix: 'O#' }] } },
          OldImage: { idempotencyKey: { S: [{ exists: true }] }, [flag]: { N: [{ exists: false }] } },
          NewImage: { [flag]: { N: [{ exists: true }] } },
        },
      })),
    );
  });

  it('retries a failing batch for at most six hours, then sends it to a queue whose depth raises an alarm', () => {
    // Assess
    expect(mapping).toMatchObject({
      MaximumRetryAttempts: 50,
      MaximumRecordAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    expect(dlqAlarmOf(template, dlqId)).toMatchObject(dlqAlarmProperties(dlqId));
  });
});
