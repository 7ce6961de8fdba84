/** Interface under test: threadHolderOf, who answers a person now, from handovers and the field their messages come on. */
import { threadHolderOf } from '../../../lambdas/domain/thread-holder';

const T = Date.UTC(2026, 10, 20, 9);

describe('threadHolderOf', () => {
  it('says nothing before any evidence', () => {
    expect(threadHolderOf({}, 'whatsapp')).toBeUndefined();
  });

  it('a WhatsApp message on standby means Meta Business Agent holds the thread', () => {
    expect(threadHolderOf({ lastInboundAt: T, lastInboundStandby: true }, 'whatsapp')).toEqual({ holder: 'meta_business_agent', since: T, source: 'standby_message' });
    expect(threadHolderOf({ lastInboundAt: T, lastInboundStandby: true }, 'messenger')).toMatchObject({ holder: 'other_app' });
  });

  it('a message on the main field means afterchat’s app holds it', () => {
    expect(threadHolderOf({ lastInboundAt: T, lastInboundStandby: false }, 'whatsapp')).toEqual({ holder: 'this_app', since: T, source: 'message' });
  });

  it('the newer of a handover and a message decides', () => {
    const passedToUs = { threadControlAt: T + 1000, threadHolder: 'this_app' as const, threadOwnerRole: 'escalation' };
    expect(threadHolderOf({ ...passedToUs, lastInboundAt: T, lastInboundStandby: true }, 'whatsapp')).toEqual({
      holder: 'this_app',
      since: T + 1000,
      source: 'handover',
      role: 'escalation',
    });
    expect(threadHolderOf({ ...passedToUs, lastInboundAt: T + 2000, lastInboundStandby: true }, 'whatsapp')).toMatchObject({ holder: 'meta_business_agent' });
  });

  it('a handover that names no holder (a request, a release) is not evidence', () => {
    expect(threadHolderOf({ threadControlAt: T }, 'messenger')).toBeUndefined();
  });
});
