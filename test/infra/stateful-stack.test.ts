// Checks the stateful stack: the state table's keys and index, billing, backups, encryption, TTL and retention, and the Meta secrets.
import { Match, Template } from 'aws-cdk-lib/assertions';
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
      ]),
      TableName: Match.absent(),
    });
  });

  it('has one keys-only index, gsi1, keyed by gsi1pk (S) and gsi1sk (S), for audiences and campaign outboxes', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
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

  it('creates the App Secret and the verify token with generated values and retains them', () => {
    // Assess
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets)).toHaveLength(2);
    for (const secret of Object.values(secrets)) {
      expect(secret).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: { GenerateSecretString: { PasswordLength: 32, ExcludePunctuation: true } },
      });
      expect(secret).not.toHaveProperty('Properties.SecretString');
    }
  });
});
