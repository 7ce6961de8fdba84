import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, auditDay } from '../../domain/audit/audit-entry';
import { DEFAULT_RETENTION_DAYS, expiresAtFor } from '../../domain/retention';
import { type AuditLog, type AuditPage, type AuditQuery, InvalidAuditCursor, type StoredAuditEntry } from '../../ports/audit-log';
import { auditKey, auditPk } from './keys';

const DAY_MS = 24 * 3600 * 1000;
/** Day partitions one page reads at most; past them it answers what it found, with a cursor. */
const MAX_DAYS_PER_PAGE = 31;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9-]{1,64}$/;

export interface DynamoDbAuditLogOptions {
  /** Days an entry lives (TTL `expiresAt`); default lambdas/domain/retention.ts (365). */
  retentionDays?: number;
}

/** Where the next page starts: a day partition, and within it after `k` (an entry's sort key). */
interface Cursor {
  d: string;
  k?: string;
}

/**
 * The audit log in the state table: `AUDIT#<YYYY-MM-DD>` / `<at ISO>#<uuid>` (keys.ts), one
 * partition per UTC day, newest first by a backwards Query per day. Every entry carries the TTL.
 */
export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DynamoDbAuditLogOptions = {},
  ) {}

  private get retentionDays(): number {
    return this.options.retentionDays ?? DEFAULT_RETENTION_DAYS.audit;
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...auditKey(auditDay(entry.at), entry.id), entity: 'audit', ...entry, expiresAt: expiresAtFor(entry.at, this.retentionDays) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async settle(entry: AuditEntry, outcome: { status: number; at: number }): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: auditKey(auditDay(entry.at), entry.id),
        UpdateExpression: 'SET #status = :status, finishedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': outcome.status, ':at': outcome.at },
      }),
    );
  }

  async list(query: AuditQuery): Promise<AuditPage> {
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const from = Math.max(query.from ?? 0, query.now - this.retentionDays * DAY_MS - DAY_MS);
    const fromDay = auditDay(from);
    const low = new Date(from).toISOString();
    const high = `${new Date(query.to).toISOString()}#~`;
    const entries: StoredAuditEntry[] = [];
    let day = cursor?.d ?? auditDay(query.to);
    let after = cursor?.k;
    for (let walked = 0; day >= fromDay; ) {
      if (walked >= MAX_DAYS_PER_PAGE) return { entries, cursor: encodeCursor({ d: day }) };
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':pk': auditPk(day), ':low': low, ':high': high, ':now': Math.floor(query.now / 1000) },
          ScanIndexForward: false,
          Limit: query.limit - entries.length,
          ...(after === undefined ? {} : { ExclusiveStartKey: { pk: auditPk(day), sk: after } }),
        }),
      );
      entries.push(...Items.map(toEntry));
      if (LastEvaluatedKey !== undefined) {
        after = String(LastEvaluatedKey.sk);
        if (entries.length >= query.limit) return { entries, cursor: encodeCursor({ d: day, k: after }) };
        continue;
      }
      day = auditDay(Date.parse(`${day}T00:00:00.000Z`) - DAY_MS);
      after = undefined;
      walked += 1;
      if (entries.length >= query.limit) return day >= fromDay ? { entries, cursor: encodeCursor({ d: day }) } : { entries };
    }
    return { entries };
  }
}

const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

const decodeCursor = (text: string): Cursor => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidAuditCursor();
  }
  const { d, k } = (parsed ?? {}) as { d?: unknown; k?: unknown };
  if (typeof d !== 'string' || !DAY.test(d) || Number.isNaN(Date.parse(d))) throw new InvalidAuditCursor();
  if (k !== undefined && (typeof k !== 'string' || !ID.test(k) || !k.startsWith(d))) throw new InvalidAuditCursor();
  return k === undefined ? { d } : { d, k };
};

const toEntry = (item: Record<string, unknown>): StoredAuditEntry => {
  const text = (name: string) => (typeof item[name] === 'string' ? { [name]: item[name] } : {});
  const number = (name: string) => (typeof item[name] === 'number' ? { [name]: item[name] } : {});
  return {
    id: String(item.id),
    at: Number(item.at),
    principal: String(item.principal),
    ...text('callerId'),
    ...text('callerAccount'),
    action: String(item.action),
    target: (item.target ?? {}) as Record<string, string>,
    ...text('requestId'),
    ...number('status'),
    ...number('finishedAt'),
    expiresAt: Number(item.expiresAt) * 1000,
  };
};
