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
 * One conditional UpdateItem per register write: the fields and the register's order land only if
 * the order (and rank) beats what is stored. A failed condition means "already newer", a no-op.
 */
export const registerUpdate = (write: RegisterWrite, key: ItemKey, identity: Record<string, string>): RegisterUpdate => {
  const names: Record<string, string> = { '#o': `${write.register}Order` };
  const values: Record<string, unknown> = { ':o': write.order };
  const sets = ['#o = :o'];
  const removes: string[] = [];
  let i = 0;
  for (const [field, value] of Object.entries({ ...identity, ...write.fields })) {
    const name = `#f${i}`;
    names[name] = field;
    if (value === undefined) {
      removes.push(name);
    } else {
      values[`:f${i}`] = value;
      sets.push(`${name} = :f${i}`);
    }
    i += 1;
  }
  const beats = write.wins === 'later' ? '#o < :o' : '#o > :o';
  let condition = `attribute_not_exists(#o) OR ${beats}`;
  if (write.rank !== undefined) {
    names['#r'] = `${write.register}Rank`;
    values[':r'] = write.rank;
    sets.push('#r = :r');
    condition = `attribute_not_exists(#r) OR #r < :r OR (#r = :r AND ${beats})`;
  }
  return {
    Key: key,
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};
