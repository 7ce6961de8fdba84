/** Interface under test: the AuditLog port, on the in-memory adapter the admin API's unit tests use. */
import { InMemoryAuditLog } from '../../../lambdas/adapters/memory/audit-log';
import { CONTRACT_AUDIT_RETENTION_DAYS, describeAuditLogContract } from '../../contract/audit-log.contract';

describeAuditLogContract('InMemoryAuditLog', () => new InMemoryAuditLog({ retentionDays: CONTRACT_AUDIT_RETENTION_DAYS }));
