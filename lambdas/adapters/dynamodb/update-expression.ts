import type { RegisterWrite } from '../../domain/state-writes';
import type { ItemKey } from './keys';

export interface RegisterUpdate {
  Key: ItemKey;
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * One conditional UpdateItem for register writes on the same item: their fields and orders land
 * only if every register's order (and rank) beats what is stored. A failed condition means
 * "something here is already newer": the caller then retries the registers one by one.
 */
export const registerUpdate = (writes: readonly RegisterWrite[], key: ItemKey, identity: Record<string, string>): RegisterUpdate => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const conditions: string[] = [];
  const fields: Record<string, unknown> = { ...identity };
  writes.forEach((write, r) => {
    Object.assign(fields, write.fields);
    const o = `#o${r}`;
    names[o] = `${write.register}Order`;
    values[`:o${r}`] = write.order;
    sets.push(`${o} = :o${r}`);
    const beats = write.wins === 'later' ? `${o} < :o${r}` : `${o} > :o${r}`;
    if (write.rank === undefined) {
      conditions.push(`(attribute_not_exists(${o}) OR ${beats})`);
    } else {
      const rank = `#r${r}`;
      names[rank] = `${write.register}Rank`;
      values[`:r${r}`] = write.rank;
      sets.push(`${rank} = :r${r}`);
      conditions.push(`(attribute_not_exists(${rank}) OR ${rank} < :r${r} OR (${rank} = :r${r} AND ${beats}))`);
    }
  });
  const assigned = assignments(fields);
  return {
    Key: key,
    UpdateExpression: updateExpression([...sets, ...assigned.sets], assigned.removes),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: { ...names, ...assigned.names },
    ExpressionAttributeValues: { ...values, ...assigned.values },
  };
};

export interface Assignments {
  sets: string[];
  removes: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** SET clauses for the fields with a value, REMOVE for those set to undefined (`#f<i>` / `:f<i>` placeholders). */
export const assignments = (fields: Record<string, unknown>): Assignments => {
  const result: Assignments = { sets: [], removes: [], names: {}, values: {} };
  Object.entries(fields).forEach(([field, value], i) => {
    result.names[`#f${i}`] = field;
    if (value === undefined) {
      result.removes.push(`#f${i}`);
    } else {
      result.values[`:f${i}`] = value;
      result.sets.push(`#f${i} = :f${i}`);
    }
  });
  return result;
};

export const updateExpression = (sets: readonly string[], removes: readonly string[]): string =>
  `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
