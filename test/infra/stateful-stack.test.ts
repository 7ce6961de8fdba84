// Checks the stateful stack: the state table's keys and index, billing, backups, encryption, TTL and retention, and the Meta secrets.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { STATE_TABLE_INDEXES } from '../../lambdas/adapters/dynamodb/keys';
import { buildApp } from './app';

describe('StatefulStack', () => {
  const { stateful } = buildApp();
  const template = Template.fromStack(stateful);

  it('has exactly one table, keyed by pk (S) and sk (S), with a generated name', () => {
    // Assess
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayEquals([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
        { AttributeName: 'gsi2pk', AttributeType: 'S' },
        { AttributeName: 'gsi2sk', AttributeType: 'S' },
        { AttributeName: 'gsi3pk', AttributeType: 'S' },
        { AttributeName: 'gsi3sk', AttributeType: 'S' },
      ]),
      TableName: Match.absent(),
    });
  });

  // Was "one index, gsi1": the data model for scale (issue 10) designs every index the next issues need.
  const indexesOf = (template: Template) =>
    Object.values(template.findResources('AWS::DynamoDB::GlobalTable')).flatMap(
      (table) => (table as { Properties: { GlobalSecondaryIndexes: unknown[] } }).Properties.GlobalSecondaryIndexes,
    );
  const keysOnly = (name: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: `${name}pk`, KeyType: 'HASH' },
      { AttributeName: `${name}sk`, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'KEYS_ONLY' },
  });

  it('has three keys-only indexes: gsi1 (dispatch listings), gsi2 (zone buckets, a person’s items), gsi3 (pending work)', () => {
    // Assess
    expect(indexesOf(template)).toEqual([keysOnly('gsi1'), keysOnly('gsi2'), keysOnly('gsi3')]);
  });

  it('declares the indexes the adapters and the local table use (keys.ts), in the same order', () => {
    // Assess
    expect(indexesOf(template)).toEqual(STATE_TABLE_INDEXES.map((index) => keysOnly(index.name)));
    expect(STATE_TABLE_INDEXES.map((index) => [index.pk, index.sk])).toEqual(STATE_TABLE_INDEXES.map((index) => [`${index.name}pk`, `${index.name}sk`]));
  });

  it('steps an existing table up one index per deployment with the stateTableIndexes context (CloudFormation adds one per update)', () => {
    // Prepare
    const withIndexes = (count: unknown) => Template.fromStack(buildApp({ context: { stateTableIndexes: count } }).stateful);

    // Assess
    expect(indexesOf(withIndexes(1))).toEqual([keysOnly('gsi1')]);
    expect(indexesOf(withIndexes('2'))).toEqual([keysOnly('gsi1'), keysOnly('gsi2')]);
    expect(() => withIndexes(4)).toThrow(/stateTableIndexes/);
    expect(() => withIndexes('two')).toThrow(/stateTableIndexes/);
  });

  it('bills on demand, encrypts with the AWS managed key and expires items on expiresAt', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('keeps point-in-time recovery and deletion protection on', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('retains the table when it is removed from the stack or replaced', () => {
    // Assess
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('has termination protection', () => {
    // Assess
    expect(stateful.terminationProtection).toBe(true);
  });

  it('creates the App Secret, the verify token and the tracking key with generated values and retains them', () => {
    // Assess
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets)).toHaveLength(3);
    for (const [id, secret] of Object.entries(secrets)) {
      expect(secret).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: { GenerateSecretString: { PasswordLength: id.includes('TrackingKey') ? 48 : 32, ExcludePunctuation: true } },
      });
      expect(secret).not.toHaveProperty('Properties.SecretString');
    }
  });
});
