/**
 * The DynamoDB state store's registers, modelled in memory with the adapter's own rules
 * (`registerUpdate`'s conditions as `outcomeOn` judges them): per event, the writes to one item go
 * as one conditional update, which lands whole when every register wins (or holds the same `least`
 * value); otherwise only the winners are written. Counts the refused updates, so a property can
 * say "this order of statuses never fails a condition".
 */
import { stateChanges } from '../../lambdas/domain/state-changes';
import type { WebhookEvent } from '../../lambdas/domain/events';
import type { RegisterWrite } from '../../lambdas/domain/state-writes';
import { targetItem } from '../../lambdas/adapters/dynamodb/keys';
import { IfAbsent, outcomeOn } from '../../lambdas/adapters/dynamodb/update-expression';

export type Items = Map<string, Record<string, unknown>>;

const idOf = (write: RegisterWrite): string => {
  const { key } = targetItem(write.target);
  return `${key.pk}|${key.sk}`;
};

/** Index attributes are the keys module's bookkeeping, not registers: the integration suite covers them. */
const INDEX_ATTRIBUTE = /^gsi\d+(pk|sk)$/;

const land = (item: Record<string, unknown>, write: RegisterWrite): void => {
  for (const [field, value] of Object.entries(targetItem(write.target).identity)) {
    if (INDEX_ATTRIBUTE.test(field)) continue;
    if (!(value instanceof IfAbsent)) item[field] = value;
    else if (item[field] === undefined) item[field] = value.value;
  }
  for (const [field, value] of Object.entries(write.fields)) {
    if (value === undefined) delete item[field];
    else item[field] = value;
  }
  if (write.wins === 'least') return;
  item[`${write.register}Order`] = write.order;
  if (write.rank !== undefined) item[`${write.register}Rank`] = write.rank;
};

export class RegisterModel {
  readonly items: Items = new Map();
  /** Grouped updates whose condition failed. */
  refusals = 0;

  applyWrites(writes: readonly RegisterWrite[]): void {
    const groups = new Map<string, RegisterWrite[]>();
    for (const write of writes) {
      const id = `${idOf(write)}|${write.order}`;
      groups.set(id, [...(groups.get(id) ?? []), write]);
    }
    for (const group of groups.values()) {
      const id = idOf(group[0] as RegisterWrite);
      const stored = this.items.get(id);
      const outcomes = group.map((write) => outcomeOn(write, stored));
      if (outcomes.some((o) => o === 'loses')) this.refusals += 1;
      const winners = group.filter((_, i) => outcomes[i] === 'wins' || (outcomes[i] === 'same' && !outcomes.includes('loses')));
      if (winners.length === 0) continue;
      const item = stored ?? {};
      for (const write of winners) land(item, write);
      this.items.set(id, item);
    }
  }

  apply(event: WebhookEvent): void {
    this.applyWrites(stateChanges(event));
  }

  /** The items as sorted plain objects, to compare two runs. */
  snapshot(): [string, Record<string, unknown>][] {
    return [...this.items.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, item]) => [id, Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))]);
  }
}
