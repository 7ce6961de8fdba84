/** The in-memory outbox is a real adapter now (lambdas/adapters/memory/outbox.ts, held to the shared contract). */
export { InMemoryOutbox as MemoryOutbox } from '../../lambdas/adapters/memory/outbox';
