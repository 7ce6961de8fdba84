/** Interface under test: the MarketingLedger port, on the in-memory adapter. */
import { InMemoryMarketingLedger } from '../../../lambdas/adapters/memory/marketing-ledger';
import { describeMarketingLedgerContract } from '../../contract/marketing-ledger.contract';

describeMarketingLedgerContract('InMemoryMarketingLedger', () => {
  const ledger = new InMemoryMarketingLedger();
  return { ledger, read: (contact) => Promise.resolve(ledger.snapshot(contact)) };
});
