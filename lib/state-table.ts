import { TableGrants, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';

/** The state table's only secondary index: audiences per account and topic or tag, and outbox records per campaign occurrence. */
export const STATE_TABLE_INDEX = 'gsi1';

/**
 * Item reads and writes on the state table. The table's own `grantReadWriteData` would add every
 * action on `index/*` too, including indexes added later; writes keep the index current without it.
 */
export function grantStateTableItems(table: ITableV2, grantee: IGrantable): void {
  new TableGrants({ table, hasIndex: false }).readWriteData(grantee);
}

/** Query on the index, for the functions that page through an audience or an occurrence's outbox. */
export function grantStateTableIndexQuery(table: ITableV2, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${STATE_TABLE_INDEX}`] }),
  );
}
