/** Interface under test: effectiveStatus() — the status a send shows once Meta's status webhooks are counted. */
import { effectiveStatus } from '../../../../lambdas/domain/send/outbox';

describe('the status a send shows', () => {
  it('of a job still claimed when Meta reported the message delivered (the sender died after Meta took it) is delivered', () => {
    expect(effectiveStatus('claimed', { status: 'delivered' })).toBe('delivered');
    expect(effectiveStatus('claimed')).toBe('claimed');
  });

  it('of a job whose answer was lost is what Meta reported, even just sent', () => {
    expect(effectiveStatus('unknown', { status: 'sent' })).toBe('sent');
    expect(effectiveStatus('unknown', { status: 'read' })).toBe('read');
  });

  it('of a sent job moves on to delivered, read (played counts as read) or failed, and ignores a status afterchat does not rank', () => {
    expect(effectiveStatus('sent', { status: 'delivered' })).toBe('delivered');
    expect(effectiveStatus('sent', { status: 'played' })).toBe('read');
    expect(effectiveStatus('sent', { status: 'failed' })).toBe('failed');
    expect(effectiveStatus('sent', { status: 'warning' })).toBe('sent');
  });

  it('of a job that ended before sending is not changed by a report', () => {
    expect(effectiveStatus('failed', { status: 'delivered' })).toBe('failed');
    expect(effectiveStatus('queued', { status: 'read' })).toBe('queued');
  });
});
