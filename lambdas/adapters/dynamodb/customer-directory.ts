import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountRef, ContactRef } from '../../domain/events';
import type { CustomerDirectory } from '../../ports/customer-directory';
import { customerKeyPk } from './conversion-keys';
import { queryPartition } from './requests';

/**
 * The customer key lookup items the profile writes keep (contact-profiles.ts): one Query on the
 * key's partition, a sort key per contact carrying it. Eventually consistent: a profile written a
 * moment before the order may be missed, and the order then counts as unattributed.
 */
export class DynamoDbCustomerDirectory implements CustomerDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async contactsWith(account: AccountRef, attribute: string, value: string): Promise<ContactRef[]> {
    const items = await queryPartition(this.client, this.tableName, customerKeyPk(account, attribute, value), { projection: 'sk' });
    return items.map((item) => ({ ...account, userId: String(item.sk) }));
  }
}
