/** Interface under test: the AutomationConfigStore port, on the in-memory adapter the admin API's and automation's unit tests use. */
import { InMemoryAutomationConfigStore } from '../../../lambdas/adapters/memory/automation-config-store';
import { describeAutomationConfigStoreContract } from '../../contract/automation-config-store.contract';

describeAutomationConfigStoreContract('InMemoryAutomationConfigStore', (clock) => Promise.resolve(new InMemoryAutomationConfigStore(clock)));
