/**
 * Interface under test: the FunnelMilestones port (status path, counters) and the touches its
 * milestones leave (DynamoDbTouches), on the DynamoDB adapters against dynalite (a fresh table), the status written by the state store as the webhook does
 * (its milestone flags with it, the record it replaced answered).
 */
import { DynamoDbFunnelMilestones } from '../../lambdas/adapters/dynamodb/funnel-milestones';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { DynamoDbTouches } from '../../lambdas/adapters/dynamodb/touches';
import { stateChanges } from '../../lambdas/domain/state-changes';
import { callbackDataFor } from '../../lambdas/domain/send/callback-data';
import type { LandedStatus } from '../../lambdas/ports/status-funnel';
import { describeFunnelMilestonesContract } from '../contract/funnel-milestones.contract';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('contract-funnel');
});

afterAll(() => table.close());

describeFunnelMilestonesContract('DynamoDbFunnelMilestones on dynalite', () => {
  const outbox = new DynamoDbOutbox(table.client, table.tableName);
  const store = new DynamoDbStateStore(table.client, { tableName: table.tableName });
  return {
    outbox,
    milestones: new DynamoDbFunnelMilestones(table.client, table.tableName, outbox),
    touches: new DynamoDbTouches(table.client, table.tableName, outbox),
    writeStatus: async (record, report) => {
      const landed: LandedStatus[] = [];
      await store.apply(
        stateChanges({
          type: 'message_status',
          eventKey: `whatsapp#${record.intent.accountId}#status#wamid.${record.outboxId}#${report.status}`,
          occurredAt: report.occurredAt,
          messageId: `wamid.${record.outboxId}`,
          status: report.status,
          contact: { channel: record.intent.channel, accountId: record.intent.accountId, userId: record.intent.userId },
          callbackData: callbackDataFor(record.outboxId, undefined),
          ...(report.error ? { error: report.error } : {}),
          ...(report.pricing ? { pricing: report.pricing } : {}),
        }),
        (_, before) => landed.push({ report, before }),
      );
      return landed;
    },
  };
});
