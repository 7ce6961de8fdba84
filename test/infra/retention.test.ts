// Checks the retention settings (issue 11, item 8): CDK context values with defaults, handed to the
// functions that write records holding personal data, and the table's TTL attribute they fill.
import { Template } from 'aws-cdk-lib/assertions';
import { RETENTION_DEFAULTS, retentionEnvironment, retentionSettings } from '../../lib/config';
import { DEFAULT_RETENTION_DAYS } from '../../lambdas/domain/retention';
import { retentionSettings as handlerRetention, AdminEnv, DispatcherEnv, SenderEnv, WebhookEnv } from '../../lambdas/shared/env';
import { buildApp } from './app';
import { idOf, resourcesOf } from './template-helpers';

const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

describe('retention settings', () => {
  it('default to 90 days for outbox and message status records, 30 for event records and quarantined items, 365 for audit entries, as the functions do', () => {
    expect(retentionSettings(context({}))).toEqual({
      outboxRetentionDays: 90,
      messageStatusRetentionDays: 90,
      eventRetentionDays: 30,
      auditRetentionDays: 365,
      quarantineRetentionDays: 30,
    });
    // lib/ can't import the Lambdas' code: the two lists of defaults are held equal here.
    expect(RETENTION_DEFAULTS).toMatchObject({
      outboxRetentionDays: DEFAULT_RETENTION_DAYS.outbox,
      messageStatusRetentionDays: DEFAULT_RETENTION_DAYS.messageStatus,
      eventRetentionDays: DEFAULT_RETENTION_DAYS.event,
      auditRetentionDays: DEFAULT_RETENTION_DAYS.audit,
    });
  });

  it('take `-c <name>=<days>` (the CLI gives strings) and refuse anything but whole days from 1 to 3650', () => {
    expect(retentionSettings(context({ outboxRetentionDays: '30', auditRetentionDays: 730 }))).toMatchObject({ outboxRetentionDays: 30, auditRetentionDays: 730 });
    for (const bad of ['0', '3651', '1.5', 'ninety', -1]) {
      expect(() => retentionSettings(context({ eventRetentionDays: bad }))).toThrow(/Context "eventRetentionDays" must be a whole number of days from 1 to 3650/);
    }
  });

  it('reach each function that writes such records as environment variables its handler reads back', () => {
    const settings = retentionSettings(context({ outboxRetentionDays: '30', messageStatusRetentionDays: '60', eventRetentionDays: '14', auditRetentionDays: '730' }));
    const env = retentionEnvironment(settings);
    for (const schema of [WebhookEnv, AdminEnv, DispatcherEnv, SenderEnv]) {
      const parsed = schema.partial().parse(env) as Parameters<typeof handlerRetention>[0];
      expect(handlerRetention(parsed)).toEqual({ outbox: 30, messageStatus: 60, event: 14, audit: 730 });
    }
    expect(handlerRetention({})).toEqual(DEFAULT_RETENTION_DAYS);
  });

  it('are set on the webhook, admin API, sender and dispatcher from the context; the table expires items by `expiresAt`', () => {
    const { stateful, stateless } = buildApp({ context: { outboxRetentionDays: '30', auditRetentionDays: '730' } });
    const functions = resourcesOf(Template.fromStack(stateless), 'AWS::Lambda::Function');
    for (const fn of [stateless.webhook, stateless.admin, stateless.sendPipeline.sender, stateless.campaigns.dispatcher]) {
      expect(functions[idOf(fn.function)]?.Properties.Environment).toMatchObject({
        Variables: { OUTBOX_RETENTION_DAYS: '30', MESSAGE_STATUS_RETENTION_DAYS: '90', EVENT_RETENTION_DAYS: '30', AUDIT_RETENTION_DAYS: '730' },
      });
    }
    Template.fromStack(stateful).hasResourceProperties('AWS::DynamoDB::GlobalTable', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });
});
