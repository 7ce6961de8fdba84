/** Interface under test: the QuarantineStore port, on the in-memory adapter the webhook's unit tests use. */
import { InMemoryQuarantine } from '../../../lambdas/adapters/memory/quarantine';
import { describeQuarantineContract } from '../../contract/quarantine.contract';

describeQuarantineContract('InMemoryQuarantine', (options) => Promise.resolve(new InMemoryQuarantine(options)));
