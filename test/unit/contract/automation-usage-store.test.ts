/** Interface under test: the AutomationUsageStore port, on the in-memory adapter. */
import { InMemoryAutomationUsageStore } from '../../../lambdas/adapters/memory/automation-usage-store';
import { describeAutomationUsageStoreContract } from '../../contract/automation-usage-store.contract';

describeAutomationUsageStoreContract('InMemoryAutomationUsageStore', () => new InMemoryAutomationUsageStore());
