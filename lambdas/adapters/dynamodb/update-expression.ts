import type { FieldValue, RegisterWrite } from '../../domain/state-writes';
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
 * only if every register beats what is stored. A failed condition means "something here is already
 * newer": the caller then writes only the registers that still win (see `outcomeOn`).
 *
 * - `later` / `earlier`: the register's order (`<register>Order`) must be greater / smaller than the
 *   stored one; with a rank (`<register>Rank`), a greater rank wins first.
 * - `least`: no order is stored; the write's fields, compared in their order, must be smaller than or
 *   equal to the stored ones. An equal value (every report of the same fact) passes and changes
 *   nothing, so a register every report repeats never fails the item's condition.
 */
export const registerUpdate = (writes: readonly RegisterWrite[], key: ItemKey, identity: Record<string, unknown>): RegisterUpdate => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const conditions: string[] = [];
  const fields: Record<string, unknown> = { ...identity };
  writes.forEach((write, r) => {
    Object.assign(fields, write.fields);
    if (write.wins === 'least') {
      conditions.push(leastCondition(write, r, names, values));
      return;
    }
    const o = `#o${r}`;
    names[o] = orderAttribute(write);
    values[`:o${r}`] = write.order;
    sets.push(`${o} = :o${r}`);
    const beats = write.wins === 'later' ? `${o} < :o${r}` : `${o} > :o${r}`;
    if (write.rank === undefined) {
      conditions.push(`(attribute_not_exists(${o}) OR ${beats})`);
    } else {
      const rank = `#r${r}`;
      names[rank] = rankAttribute(write);
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

const orderAttribute = (write: RegisterWrite): string => `${write.register}Order`;
const rankAttribute = (write: RegisterWrite): string => `${write.register}Rank`;

/** `a < b`, or (a = b and (c < d ...)): the stored fields are greater than or equal to the write's. */
const leastCondition = (write: RegisterWrite, r: number, names: Record<string, string>, values: Record<string, unknown>): string => {
  const compared = leastFields(write);
  const clause = (j: number): string => {
    const [field, value] = compared[j] as [string, FieldValue];
    const name = `#l${r}_${j}`;
    const placeholder = `:l${r}_${j}`;
    names[name] = field;
    values[placeholder] = value;
    if (j === compared.length - 1) return `${name} >= ${placeholder}`;
    return `${name} > ${placeholder} OR (${name} = ${placeholder} AND (${clause(j + 1)}))`;
  };
  const first = `#l${r}_0`;
  const body = clause(0);
  return `(attribute_not_exists(${first}) OR ${body})`;
};

const leastFields = (write: RegisterWrite): [string, FieldValue][] => {
  const compared = Object.entries(write.fields);
  if (compared.length === 0 || compared.some(([, value]) => typeof value !== 'string' && typeof value !== 'number')) {
    throw new Error(`register ${write.register}: a 'least' register compares strings and numbers only, all present`);
  }
  return compared as [string, FieldValue][];
};

/**
 * What a register write does to a stored item, judged as its condition would be: `wins` (it must
 * land), `same` (a `least` register holding this very value: it may land, it changes nothing), or
 * `loses`. Mirrors `registerUpdate`'s conditions, comparing strings by their UTF-8 bytes as
 * DynamoDB does, and values of different types never.
 */
export const outcomeOn = (write: RegisterWrite, item: Record<string, unknown> | undefined): 'wins' | 'same' | 'loses' => {
  if (write.wins === 'least') {
    const compared = leastFields(write);
    if (item?.[compared[0]?.[0] ?? ''] === undefined) return 'wins';
    for (const [field, value] of compared) {
      const order = compare(item[field], value);
      if (order === undefined || order < 0) return 'loses';
      if (order > 0) return 'wins';
    }
    return 'same';
  }
  const stored = item?.[orderAttribute(write)];
  const beats = (): boolean => {
    const order = compare(stored, write.order);
    return order !== undefined && (write.wins === 'later' ? order < 0 : order > 0);
  };
  if (write.rank === undefined) return stored === undefined || beats() ? 'wins' : 'loses';
  const rank = item?.[rankAttribute(write)];
  if (rank === undefined) return 'wins';
  const byRank = compare(rank, write.rank);
  if (byRank === undefined) return 'loses';
  return byRank < 0 || (byRank === 0 && beats()) ? 'wins' : 'loses';
};

/** Sign of stored − written, as DynamoDB orders them; undefined when they don't compare. */
const compare = (stored: unknown, written: unknown): number | undefined => {
  if (typeof stored === 'number' && typeof written === 'number') return Math.sign(stored - written);
  if (typeof stored === 'string' && typeof written === 'string') return Math.sign(Buffer.compare(Buffer.from(stored, 'utf8'), Buffer.from(written, 'utf8')));
  return undefined;
};

export interface Assignments {
  sets: string[];
  removes: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * A value written only where the attribute is absent (`if_not_exists`): an index attribute that a
 * more specific writer owns, such as a contact's zone bucket, which webhooks create and the profile moves.
 */
export class IfAbsent {
  constructor(readonly value: string | number) {}
}
export const ifAbsent = (value: string | number): IfAbsent => new IfAbsent(value);

/**
 * SET clauses for the fields with a value (`if_not_exists` for an `IfAbsent` one), REMOVE for those
 * set to undefined (`#f<i>` / `:f<i>` placeholders).
 */
export const assignments = (fields: Record<string, unknown>): Assignments => {
  const result: Assignments = { sets: [], removes: [], names: {}, values: {} };
  Object.entries(fields).forEach(([field, value], i) => {
    result.names[`#f${i}`] = field;
    if (value === undefined) {
      result.removes.push(`#f${i}`);
    } else if (value instanceof IfAbsent) {
      result.values[`:f${i}`] = value.value;
      result.sets.push(`#f${i} = if_not_exists(#f${i}, :f${i})`);
    } else {
      result.values[`:f${i}`] = value;
      result.sets.push(`#f${i} = :f${i}`);
    }
  });
  return result;
};

export const updateExpression = (sets: readonly string[], removes: readonly string[]): string =>
  `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
