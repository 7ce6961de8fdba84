/** Interface under test: the status an operator sees once Meta's status webhooks reconcile a send. */
import { effectiveStatus, laterReport } from '../../../lambdas/domain/send/outbox';

describe('outbox status', () => {
  it('keeps the further-along of two reports about one message', () => {
    expect(laterReport({ status: 'delivered' }, { status: 'read' })).toEqual({ status: 'read' });
    expect(laterReport({ status: 'read' }, { status: 'delivered' })).toEqual({ status: 'read' });
    expect(laterReport(undefined, { status: 'sent' })).toEqual({ status: 'sent' });
    expect(laterReport({ status: 'sent' }, undefined)).toEqual({ status: 'sent' });
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
