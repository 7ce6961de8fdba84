/** Interface under test: the OccurrenceStore port, on the in-memory adapter the dispatcher's unit tests use. */
import { InMemoryOccurrenceStore } from '../../../lambdas/adapters/memory/occurrence-store';
import { describeOccurrenceStoreContract } from '../../contract/occurrence-store.contract';

describeOccurrenceStoreContract('InMemoryOccurrenceStore', () => new InMemoryOccurrenceStore());
