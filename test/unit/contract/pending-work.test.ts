/** Interface under test: the PendingWork port on the in-memory adapters the sweeper's unit tests use. */
import { InMemoryOccurrenceStore } from '../../../lambdas/adapters/memory/occurrence-store';
import { InMemoryOutbox } from '../../../lambdas/adapters/memory/outbox';
import { InMemoryPendingWork } from '../../../lambdas/adapters/memory/pending-work';
import { describePendingWorkContract } from '../../contract/pending-work.contract';

describePendingWorkContract('InMemoryPendingWork', () => {
  const outbox = new InMemoryOutbox();
  const occurrences = new InMemoryOccurrenceStore();
  return { outbox, occurrences, pending: new InMemoryPendingWork([outbox, occurrences]) };
});
