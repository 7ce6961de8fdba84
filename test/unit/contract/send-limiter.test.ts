/** Interface under test: the SendLimiter port, on the in-memory fake (instances sharing one table). */
import { InMemoryLimiterTable, InMemorySendLimiter } from '../../../lambdas/adapters/memory/send-limiter';
import { describeSendLimiterContract } from '../../contract/send-limiter.contract';

describeSendLimiterContract('InMemorySendLimiter', () => {
  const table = new InMemoryLimiterTable();
  return () => new InMemorySendLimiter(table);
});
