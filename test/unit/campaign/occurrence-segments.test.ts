/** Interface under test: the OccurrenceStore port's fan-out (segments, summed view, caps' reservations), on the in-memory adapter. */
import { InMemoryOccurrenceStore } from '../../../lambdas/adapters/memory/occurrence-store';
import { describeOccurrenceSegmentsContract } from '../../helpers/occurrence-segments-contract';

describeOccurrenceSegmentsContract('InMemoryOccurrenceStore', () => new InMemoryOccurrenceStore());
