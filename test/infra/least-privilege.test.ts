// Holds every function's role to an explicit allow-list: each (action, resource) pair its inline policies grant, nothing more, nothing less.
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodeFunction } from '../../lib/constructs/node-function';
import type { StatelessStack } from '../../lib/stateless-stack';
import { buildApp, type TestApp } from './app';
import { idOf, resourcesOf, statementsFor } from './template-helpers';

const GET_SECRET = 'secretsmanager:GetSecretValue';
const SEND = 'sqs:SendMessage';
/** Granted by Lambda's SQS event source (the poller runs as the function's role); no code calls them. */
const EVENT_SOURCE = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
const dynamo = (...actions: string[]): string[] => actions.map((a) => `dynamodb:${a}`);
const TOKENS = 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:afterchat/dev/tokens/*';
const CAMPAIGN_RULES = 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/afterchat-dev-campaign-*';

/** Resources by name: `table`, `table/index/gsi1`, queues, secrets, or a literal ARN pattern. */
type AllowList = Record<string, readonly string[]>;

interface Row {
  readonly fn: (stack: StatelessStack) => NodeFunction;
  /** What its code calls, on what. Every function also writes its own log group and X-Ray traces. */
  readonly allow: AllowList;
}

/**
 * THE allow-list, one row per function. Widening a grant in lib/ fails this test; a new function
 * fails it until it has a row. Derive a row from the adapters the handler constructs and the
 * methods it calls (lib/constructs/function-access.ts says which calls need which action).
 */
const ROWS: Record<string, Row> = {
  webhook: {
    fn: (s) => s.webhook,
    allow: {
      table: dynamo('BatchGetItem', 'BatchWriteItem', 'GetItem', 'Query', 'UpdateItem'),
      // The send a tapped button or a Marketing Message click names, among the person's recent sends.
      'table/index/gsi2': dynamo('Query'),
      appSecret: [GET_SECRET],
      verifyToken: [GET_SECRET],
      // One hand-off per body to automation.
      automationQueue: [SEND],
    },
  },
  dataDeletion: {
    fn: (s) => s.dataDeletion,
    allow: {
      // Erasure by key: a person's partitions and index entries, deletes, tombstones, the request's record. No Scan.
      table: dynamo('BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'),
      'table/index/gsi2': dynamo('Query'),
      // Verifies the signed_request; no verify token.
      appSecret: [GET_SECRET],
    },
  },
  automation: {
    fn: (s) => s.automation.function,
    allow: {
      table: dynamo('BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'),
      // A reply's or STOP's funnel milestone: the person's recent sends.
      'table/index/gsi2': dynamo('Query'),
      automationQueue: EVENT_SOURCE,
      sendQueue: [SEND],
      // handoff.requested on the business bus, and no other bus.
      businessBus: ['events:PutEvents'],
      // pass/take_thread_control with the Page's token, as the sender calls Meta.
      appSecret: [GET_SECRET],
      [TOKENS]: [GET_SECRET],
    },
  },
  sender: {
    fn: (s) => s.sendPipeline.sender,
    allow: {
      table: dynamo('BatchGetItem', 'BatchWriteItem', 'GetItem', 'Query', 'UpdateItem'),
      sendQueue: [...EVENT_SOURCE, SEND],
      appSecret: [GET_SECRET],
      [TOKENS]: [GET_SECRET],
    },
  },
  dispatcher: {
    fn: (s) => s.campaigns.dispatcher,
    allow: {
      table: dynamo('GetItem', 'PutItem', 'Query', 'UpdateItem'),
      'table/index/gsi1': dynamo('Query'),
      'table/index/gsi2': dynamo('Query'),
      dispatchQueue: [...EVENT_SOURCE, SEND],
      sendQueue: [SEND],
      // Its asynchronous invocations' on-failure destination (Lambda sends as the function's role).
      campaignDlq: [SEND],
      [CAMPAIGN_RULES]: ['events:DeleteRule', 'events:RemoveTargets'],
      // Signs the tracking links of campaigns that track clicks.
      trackingKey: [GET_SECRET],
    },
  },
  redirect: {
    fn: (s) => s.clickRedirect.function,
    allow: {
      // The outbox record, the funnel's milestone and counters, the click item. No index, no PutItem, no deletes.
      table: dynamo('GetItem', 'UpdateItem'),
      // Verifies the links; no Meta secret.
      trackingKey: [GET_SECRET],
    },
  },
  admin: {
    fn: (s) => s.admin,
    allow: {
      table: dynamo('BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'),
      'table/index/gsi1': dynamo('Query'),
      'table/index/gsi2': dynamo('Query'),
      sendQueue: [SEND],
      dispatchQueue: [SEND],
      // POST /admin/imports/{importId}/start sends an import's first slice.
      importQueue: [SEND],
      appSecret: [GET_SECRET],
      [TOKENS]: [GET_SECRET],
      [CAMPAIGN_RULES]: ['events:DeleteRule', 'events:DisableRule', 'events:EnableRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets', 'events:TagResource'],
      // An admin's handoff puts handoff.requested on the business bus.
      businessBus: ['events:PutEvents'],
    },
  },
  templateSync: {
    fn: (s) => s.templateSync.function,
    allow: {
      table: dynamo('GetItem', 'Query', 'UpdateItem'),
      appSecret: [GET_SECRET],
      [TOKENS]: [GET_SECRET],
    },
  },
  sweeper: {
    fn: (s) => s.sweeper.function,
    allow: {
      table: dynamo('BatchGetItem', 'GetItem', 'Query', 'UpdateItem'),
      'table/index/gsi3': dynamo('Query'),
      sendQueue: [SEND],
      dispatchQueue: [SEND],
      // Jobs that reached the DLQ: read, marked failed, then deleted by the code itself (no event source).
      sendDlq: ['sqs:DeleteMessage', 'sqs:ReceiveMessage'],
    },
  },
  importWorker: {
    fn: (s) => s.imports.worker,
    allow: {
      // Jobs, chunks, row outcomes and errors by key; contacts, profiles, tag entries and consent registers. No index, no Scan, no DeleteItem.
      table: dynamo('BatchGetItem', 'BatchWriteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'),
      // Each slice sends the next one to its own queue.
      importQueue: [...EVENT_SOURCE, SEND],
    },
  },
  conversions: {
    fn: (s) => s.conversions.function,
    allow: {
      // Customer key lookups, the person's sends (gsi2) and their outbox records, the conversion's conditional put, counters and milestone flags. No deletes, no Scan.
      table: dynamo('BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'),
      'table/index/gsi2': dynamo('Query'),
      // Its asynchronous invocations' on-failure destination.
      conversionDlq: [SEND],
    },
  },
  funnelStream: {
    fn: (s) => s.funnelStream.function,
    allow: {
      // Its counter items: one UpdateItem per counter item of a batch, GetItem when a refused write came back without the item. No index, no Scan.
      table: dynamo('GetItem', 'UpdateItem'),
      // Granted by the stream event source (its poller runs as the function's role), on the table's stream alone; no code calls them.
      tableStream: dynamo('DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'),
      // The event source's on-failure destination.
      funnelStreamDlq: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', SEND],
    },
  },
  backfill: {
    fn: (s) => s.indexBackfill.function,
    allow: { table: dynamo('Scan', 'UpdateItem') },
  },
};

/** Names for the logical IDs a policy may refer to, so resources read as `table`, `sendQueue`, … */
function resourceNames(app: TestApp, fn: NodeFunction): Record<string, string> {
  const { stateful, stateless } = app;
  return {
    // Before the table: the stream's ARN is one of the table's attributes.
    [`${idOf(stateful.table)}StreamArn`]: 'tableStream',
    [idOf(stateful.table)]: 'table',
    [idOf(stateful.metaSecrets.appSecret)]: 'appSecret',
    [idOf(stateful.metaSecrets.verifyToken)]: 'verifyToken',
    [idOf(stateful.metaSecrets.trackingKey)]: 'trackingKey',
    [idOf(stateless.sendPipeline.queue)]: 'sendQueue',
    [idOf(stateless.sendPipeline.deadLetterQueue)]: 'sendDlq',
    [idOf(stateless.campaigns.queue)]: 'dispatchQueue',
    [idOf(stateless.campaigns.deadLetterQueue)]: 'campaignDlq',
    [idOf(stateless.automation.queue)]: 'automationQueue',
    [idOf(stateless.imports.queue)]: 'importQueue',
    [idOf(stateless.conversions.deadLetterQueue)]: 'conversionDlq',
    [idOf(stateless.funnelStream.deadLetterQueue)]: 'funnelStreamDlq',
    [idOf(stateless.campaigns.businessEventBus)]: 'businessBus',
    [idOf(fn.logGroup)]: 'ownLogGroup',
  };
}

/** A CloudFormation value as one readable string; references become names, pseudo parameters `${AWS::…}`. */
function render(value: unknown, names: Record<string, string>): string {
  const named = (text: string): string => {
    const hit = Object.keys(names).find((id) => text.includes(id));
    return hit === undefined ? `?${text}` : (names[hit] as string);
  };
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') return v.Ref.startsWith('AWS::') ? `\${${v.Ref}}` : named(v.Ref);
    if (Array.isArray(v['Fn::GetAtt'])) return named(String(v['Fn::GetAtt'][0]));
    if (v['Fn::GetStackOutput']) return named(String((v['Fn::GetStackOutput'] as { OutputName: string }).OutputName));
    if (v['Fn::ImportValue']) return named(JSON.stringify(v['Fn::ImportValue']));
    if (Array.isArray(v['Fn::Join'])) {
      const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => render(p, names)).join(separator);
    }
  }
  return `?${JSON.stringify(value)}`;
}

/** Every `action resource` pair a role's inline policies allow, sorted. */
function grantedPairs(app: TestApp, template: Template, fn: NodeFunction): string[] {
  const names = resourceNames(app, fn);
  const pairs = statementsFor(template, idOf(fn.function.role!)).flatMap((s) => {
    expect(s.Effect).toBe('Allow');
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    return [s.Action].flat().flatMap((action) => resources.map((r) => `${action} ${render(r, names)}`));
  });
  return [...new Set(pairs)].sort();
}

function expectedPairs(row: Row): string[] {
  const allow: AllowList = {
    ...row.allow,
    ownLogGroup: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    // Active tracing: X-Ray's two actions take no resource.
    '*': ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
  };
  return Object.entries(allow)
    .flatMap(([resource, actions]) => actions.map((action) => `${action} ${resource}`))
    .sort();
}

describe('least privilege: every role matches its allow-list exactly', () => {
  const app = buildApp({ stage: 'dev' });
  const template = Template.fromStack(app.stateless);

  it('has a row for every role in the stateless stack, and a role for every row', () => {
    // Prepare
    const rowRoles = Object.values(ROWS).map((row) => idOf(row.fn(app.stateless).function.role!));

    // Assess
    expect(Object.keys(resourcesOf(template, 'AWS::IAM::Role')).sort()).toEqual([...rowRoles].sort());
  });

  it.each(Object.keys(ROWS))('%s: grants exactly its allow-list', (name) => {
    // Prepare
    const row = ROWS[name] as Row;

    // Act
    const granted = grantedPairs(app, template, row.fn(app.stateless));

    // Assess
    expect(granted).toEqual(expectedPairs(row));
  });

  it('gives nobody a wildcard action, an index wildcard or a table-administration action, and only the backfill Scan', () => {
    // Prepare
    const all = Object.entries(ROWS).flatMap(([name, row]) => grantedPairs(app, template, row.fn(app.stateless)).map((pair) => `${name}: ${pair}`));

    // Assess
    expect(all.filter((p) => (p.split(' ')[1] ?? '').includes('*'))).toEqual([]);
    expect(all.filter((p) => p.includes('/index/*'))).toEqual([]);
    expect(all.filter((p) => /dynamodb:(Describe|Create|Delete(Table|Backup)|Update(Table|TimeToLive)|GetRecords|GetShardIterator|ConditionCheckItem)/.test(p) && !/^funnelStream: dynamodb:\w+ tableStream$/.test(p))).toEqual([]);
    // The stream is read by its one consumer's event source, on the stream alone.
    expect(all.filter((p) => / tableStream$/.test(p)).every((p) => p.startsWith('funnelStream: '))).toBe(true);
    expect(all.filter((p) => p.includes('dynamodb:Scan'))).toEqual(['backfill: dynamodb:Scan table']);
    // The issue's own example: the webhook needs no Scan, DeleteItem or PutItem.
    expect(all.filter((p) => /^webhook: dynamodb:(Scan|DeleteItem|PutItem) /.test(p))).toEqual([]);
  });

  it('fails when a grant is widened', () => {
    // Prepare
    const widened = buildApp({ stage: 'dev' });
    widened.stateless.webhook.function.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: [widened.stateful.table.tableArn] }),
    );

    // Act
    const granted = grantedPairs(widened, Template.fromStack(widened.stateless), widened.stateless.webhook);

    // Assess
    expect(granted).not.toEqual(expectedPairs(ROWS.webhook as Row));
    expect(granted).toContain('dynamodb:DeleteItem table');
  });

  it('renders every resource it meets (no unnamed reference left)', () => {
    // Assess
    for (const row of Object.values(ROWS)) {
      const pairs = grantedPairs(app, template, row.fn(app.stateless));
      expect(pairs.filter((p) => p.includes('?'))).toEqual([]);
    }
  });
});
