import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ledgerSnapshotOf } from '../../campaign/contact-view';
import { LEDGER_RETENTION_HOURS } from '../../domain/campaign/frequency-cap';
import type { ContactRef } from '../../domain/events';
import type { LedgerEntry, LedgerSnapshot, MarketingLedger } from '../../ports/marketing-ledger';
import { targetItem } from './keys';
import { isConditionFailure } from './requests';
import { assignments, updateExpression } from './update-expression';

/** Entries older than the longest cap window are dropped as new ones are reserved, which keeps the map small. */
const RETENTION_MS = LEDGER_RETENTION_HOURS * 3_600_000;

/**
 * The ledger is a map (key → atMs) on the contact's STATE item with a version beside it: a
 * reservation is one UpdateItem conditional on the version the planner read, so two campaigns
 * reserving for one contact at once can't both slip under the cap.
 */
export class DynamoDbMarketingLedger implements MarketingLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(contact: ContactRef, entry: LedgerEntry, snapshot: LedgerSnapshot): Promise<{ ok: true } | { ok: false; current: LedgerSnapshot }> {
    if (snapshot.entries.some((e) => e.key === entry.key)) return { ok: true };
    const { key, identity } = targetItem({ entity: 'contact', contact });
    // Identity too, as every contact write: a contact first seen here still lands in its audience.
    const { sets, names, values } = assignments(identity);
    values[':next'] = snapshot.version + 1;
    sets.push('marketingLedgerVersion = :next');
    const removes: string[] = [];
    let condition: string;
    if (snapshot.version === 0) {
      // A nested SET needs the map to exist, so the first reservation writes the whole map.
      values[':map'] = { [entry.key]: entry.atMs };
      sets.push('marketingLedger = :map');
      condition = 'attribute_not_exists(marketingLedgerVersion)';
    } else {
      names['#k'] = entry.key;
      values[':at'] = entry.atMs;
      values[':v'] = snapshot.version;
      sets.push('marketingLedger.#k = :at');
      snapshot.entries
        .filter((old) => old.atMs < entry.atMs - RETENTION_MS)
        .forEach((old, i) => {
          names[`#old${i}`] = old.key;
          removes.push(`marketingLedger.#old${i}`);
        });
      condition = 'marketingLedgerVersion = :v';
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: updateExpression(sets, removes),
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return { ok: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ProjectionExpression: 'marketingLedger, marketingLedgerVersion' }),
    );
    const current = ledgerSnapshotOf(Item ?? {});
    // The same send reserved by a concurrent retry of this firing: already recorded is a success.
    return current.entries.some((e) => e.key === entry.key) ? { ok: true } : { ok: false, current };
  }
}
