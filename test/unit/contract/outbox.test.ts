/** Interface under test: the Outbox port, on the in-memory adapter the sender's unit tests use. */
import { InMemoryOutbox } from '../../../lambdas/adapters/memory/outbox';
import { describeOutboxContract } from '../../contract/outbox.contract';

describeOutboxContract('InMemoryOutbox', () => new InMemoryOutbox());
