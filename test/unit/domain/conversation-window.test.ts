/** Interface under test: windowView, the 24 h window and the HUMAN_AGENT 7 days as the admin API shows them. */
import { windowView } from '../../../lambdas/domain/conversation-window';

const lastInboundAt = Date.UTC(2026, 4, 17, 12, 0, 0);
const HOUR = 3_600_000;

describe('windowView', () => {
  it('is open at 23:59:59 after the last inbound event', () => {
    expect(windowView({ lastInboundAt }, 'messenger', lastInboundAt + 24 * HOUR - 1000).open).toBe(true);
  });

  it('is closed at exactly 24:00:00 and after', () => {
    expect(windowView({ lastInboundAt }, 'messenger', lastInboundAt + 24 * HOUR).open).toBe(false);
    expect(windowView({ lastInboundAt }, 'whatsapp', lastInboundAt + 24 * HOUR + 1000).open).toBe(false);
  });

  it('reports when it closes and what opened it', () => {
    expect(windowView({ lastInboundAt, openedBy: 'postback' }, 'instagram', lastInboundAt)).toEqual({
      lastInboundAt: '2026-05-17T12:00:00.000Z',
      openedBy: 'postback',
      open: true,
      closesAt: '2026-05-18T12:00:00.000Z',
      humanAgentUntil: null,
    });
  });

  it('gives HUMAN_AGENT 7 days from the last message on Messenger and Instagram, never on WhatsApp', () => {
    const state = { lastInboundAt, lastMessageAt: lastInboundAt };
    expect(windowView(state, 'messenger', lastInboundAt).humanAgentUntil).toBe('2026-05-24T12:00:00.000Z');
    expect(windowView(state, 'whatsapp', lastInboundAt).humanAgentUntil).toBeNull();
  });

  it('is closed, with no times, for a contact who never wrote', () => {
    expect(windowView({}, 'messenger', lastInboundAt)).toMatchObject({ open: false, lastInboundAt: null, closesAt: null });
  });
});
