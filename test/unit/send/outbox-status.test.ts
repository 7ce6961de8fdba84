/** Interface under test: the outbox state machine and the status an operator sees once webhooks reconcile it. */
import { canMove, effectiveStatus } from '../../../lambdas/domain/send/outbox';

describe('outbox status', () => {
  it('never moves a sent message back to queued or claimed', () => {
    expect(canMove('sent', 'queued')).toBe(false);
    expect(canMove('sent', 'claimed')).toBe(false);
    expect(canMove('claimed', 'queued')).toBe(true);
  });

  it.each([
    ['sent', { status: 'delivered' }, 'delivered'],
    ['sent', { status: 'read' }, 'read'],
    ['sent', { status: 'sent' }, 'sent'],
    ['unknown', { status: 'delivered' }, 'delivered'],
    ['unknown', { status: 'failed' }, 'failed'],
    ['skipped', { status: 'read' }, 'skipped'],
    ['failed', { status: 'sent' }, 'failed'],
  ] as const)('%s with a %p webhook shows %s', (own, delivery, expected) => {
    expect(effectiveStatus(own, delivery)).toBe(expected);
  });
});
