import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactRef } from '../../domain/events';
import type { ContactOrigin, ContactProfile, ContactProfiles } from '../../ports/contact-profiles';
import { DEFAULT_CUSTOMER_KEY_ATTRIBUTES } from '../../domain/measurement/customer-keys';
import { customerKeyItemKey, customerKeyPersonEntry } from './conversion-keys';
import { contactPk, TAG_PREFIX, tagEntry, tagKey, targetItem, zoneEntry } from './keys';
import { batchWriteAll, queryPartition, type WriteRequest } from './requests';
import { assignments, ifAbsent, updateExpression } from './update-expression';

/** Bounds the TAG# items (and index entries) one profile write fans out to. */
const MAX_TAGS = 50;

/**
 * Profiles on the contact's STATE item, and one TAG# item per tag in the contact's partition: the
 * tag's audience index entry. The profile's time zone moves the STATE item to that zone's local-time
 * bucket (gsi2; the account's bucket when it has none): webhooks only ever create the bucket. The
 * profile write lands first, so a failure in between leaves at worst stale index entries, which the
 * next put reconciles and the dispatcher's filter ignores. A customer key attribute (an order's way to
 * name its customer, domain/measurement/customer-keys.ts) gets a lookup item per value, in the same
 * batch as the tags: put on every write that carries it (so profiles written before the lookup
 * existed gain it), dropped when the value changes or goes.
 */
export class DynamoDbContactProfiles implements ContactProfiles {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly customerKeys: readonly string[] = DEFAULT_CUSTOMER_KEY_ATTRIBUTES,
  ) {}

  async put(contact: ContactRef, profile: ContactProfile, now: number, options: { origin?: ContactOrigin } = {}): Promise<void> {
    if (profile.tags.length > MAX_TAGS) throw new RangeError(`a contact carries at most ${MAX_TAGS} tags, got ${profile.tags.length}`);
    const tags = new Set(profile.tags);
    const previous = await this.writeProfile(contact, { ...profile, tags: [...tags] }, now, options.origin);
    const stored = await this.storedTags(contact);
    const requests: WriteRequest[] = [
      ...[...tags]
        .filter((tag) => !stored.has(tag))
        .map((tag) => ({
          PutRequest: { Item: { ...tagKey(contact, tag), entity: 'contact_tag', ...contactIds(contact), tag, ...tagEntry(contact, tag) } },
        })),
      ...[...stored].filter((tag) => !tags.has(tag)).map((tag) => ({ DeleteRequest: { Key: { ...tagKey(contact, tag) } } })),
      ...this.customerKeyWrites(contact, previous, profile.attributes),
    ];
    await batchWriteAll(this.client, this.tableName, requests);
  }

  private customerKeyWrites(contact: ContactRef, previous: Record<string, string>, attributes: Record<string, string>): WriteRequest[] {
    return this.customerKeys.flatMap((name): WriteRequest[] => {
      const [before, after] = [previous[name], attributes[name]];
      return [
        ...(before !== undefined && before !== after ? [{ DeleteRequest: { Key: { ...customerKeyItemKey(contact, name, before) } } }] : []),
        ...(after === undefined
          ? []
          : [{ PutRequest: { Item: { ...customerKeyItemKey(contact, name, after), entity: 'customer_key', ...contactIds(contact), attribute: name, ...customerKeyPersonEntry(contact, name) } } }]),
      ];
    });
  }

  /** Writes the profile; answers the attributes it replaced (none for a new profile). */
  private async writeProfile(contact: ContactRef, profile: ContactProfile, now: number, origin: ContactOrigin | undefined): Promise<Record<string, string>> {
    const { key, identity } = targetItem({ entity: 'contact', contact });
    const fields: Record<string, unknown> = {
      ...identity,
      profileTags: profile.tags,
      profileAttributes: profile.attributes,
      timeZone: profile.timeZone,
      country: profile.country,
      profileUpdatedAt: now,
      // The first origin stays: a later import updating the contact didn't create it.
      ...(origin === undefined ? {} : { origin: ifAbsent(origin) }),
      // After the identity's create-only bucket: the profile's zone is the one that counts.
      ...zoneEntry(contact, profile.timeZone),
    };
    const { sets, removes, names, values } = assignments(fields);
    const answer = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: updateExpression(sets, removes),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    return (answer.Attributes?.profileAttributes as Record<string, string> | undefined) ?? {};
  }

  private async storedTags(contact: ContactRef): Promise<Set<string>> {
    const items = await queryPartition(this.client, this.tableName, contactPk(contact), { skPrefix: TAG_PREFIX, projection: 'sk', consistent: true });
    return new Set(items.map((item) => String(item.sk).slice(TAG_PREFIX.length)));
  }
}

const contactIds = (c: ContactRef) => ({ channel: c.channel, accountId: c.accountId, userId: c.userId });
