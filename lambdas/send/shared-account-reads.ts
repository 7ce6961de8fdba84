import type { AccountRef } from '../domain/events';
import type { StateStore, StoredAttributes, TemplateRecord } from '../ports/state-store';

/**
 * The account records every job reads before its policy decision (the account's and its WABA's
 * policy records, the templates), read once for all the jobs that ask while that read is in flight:
 * SQS hands the sender ten jobs at a time, mostly of one account, and they reach this read together.
 * Nothing is kept once the read answers, so a job that asks afterwards reads afresh: a job never sees
 * older records than a read it could have started itself at that moment.
 */
export const sharedAccountReads = (store: StateStore): Pick<StateStore, 'getAccountPolicy' | 'listTemplates'> => {
  const policies = new InFlight<StoredAttributes | undefined>();
  const templates = new InFlight<TemplateRecord[]>();
  return {
    getAccountPolicy: (account) => policies.read(keyOf(account), () => store.getAccountPolicy(account)),
    listTemplates: (account) => templates.read(keyOf(account), () => store.listTemplates(account)),
  };
};

const keyOf = (account: AccountRef): string => `${account.channel}#${account.accountId}`;

class InFlight<T> {
  private readonly reads = new Map<string, Promise<T>>();

  read(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.reads.get(key);
    if (running !== undefined) return running;
    const started = load().finally(() => this.reads.delete(key));
    this.reads.set(key, started);
    return started;
  }
}
