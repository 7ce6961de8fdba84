/**
 * Interface under test: the callback data afterchat gives Meta with a message (callback-data.ts):
 * it always names the outbox record, and says which of the recipient's ids the sender found stored,
 * so a status repeating exactly those ids needn't write them again.
 */
import { callbackDataFor, idsKnownAtSend, outboxIdOfCallback, storedIdentities } from '../../../../lambdas/domain/send/callback-data';
import { outboxIdFor } from '../../../../lambdas/domain/send/outbox-id';

const OUTBOX = outboxIdFor('campaign#2026-11-21T09:00:00.000Z#whatsapp:109876543210987:4915112345678');
const WA = '4915112345678';
const BSUID = 'DE.88201734659910273645';

describe('callback data', () => {
  it('names the outbox record, bare or tagged with the ids the sender knew', () => {
    expect(callbackDataFor(OUTBOX, undefined)).toBe(OUTBOX);
    const tagged = callbackDataFor(OUTBOX, { waId: WA, bsuid: BSUID });
    expect(tagged).toMatch(new RegExp(`^${OUTBOX}\\.[A-Za-z0-9_-]{8}$`));
    expect(outboxIdOfCallback(OUTBOX)).toBe(OUTBOX);
    expect(outboxIdOfCallback(tagged)).toBe(OUTBOX);
  });

  it('names no outbox record for callback data afterchat did not write', () => {
    for (const other of [undefined, '', 'campaign-42:job-7', 'ob_short', `${OUTBOX}.`, `${OUTBOX}.abc`, `${OUTBOX}.abcdefgh.ijklmnop`, `x${OUTBOX}`]) {
      expect(outboxIdOfCallback(other)).toBeUndefined();
    }
  });

  it('says the ids were known only for the very ids tagged, an empty wa_id being none', () => {
    const both = callbackDataFor(OUTBOX, { waId: WA, bsuid: BSUID });
    expect(idsKnownAtSend(both, { waId: WA, bsuid: BSUID })).toBe(true);
    expect(idsKnownAtSend(both, { bsuid: BSUID })).toBe(false);
    expect(idsKnownAtSend(both, { waId: WA, bsuid: 'DE.1' })).toBe(false);
    expect(idsKnownAtSend(both, undefined)).toBe(false);
    expect(idsKnownAtSend(OUTBOX, { waId: WA, bsuid: BSUID })).toBe(false);
    const bsuidOnly = callbackDataFor(OUTBOX, { bsuid: BSUID });
    expect(idsKnownAtSend(bsuidOnly, { waId: '', bsuid: BSUID })).toBe(true);
    // Another app's data with a dot in it is no tag of ours.
    expect(idsKnownAtSend(`their.${both.split('.')[1]}`, { waId: WA, bsuid: BSUID })).toBe(false);
  });

  it('takes as known the ids a status would only repeat: wa_id and BSUID once the BSUID links to the wa_id, or either alone', () => {
    expect(storedIdentities({ waId: WA, bsuid: BSUID, linkedUserId: WA })).toEqual({ waId: WA, bsuid: BSUID });
    // The BSUID record doesn't point at the wa_id yet: the first status writes the link.
    expect(storedIdentities({ waId: WA, bsuid: BSUID })).toBeUndefined();
    expect(storedIdentities({ waId: WA, bsuid: BSUID, linkedUserId: '4915199999999' })).toBeUndefined();
    expect(storedIdentities({ waId: WA })).toEqual({ waId: WA, bsuid: undefined });
    expect(storedIdentities({ bsuid: BSUID })).toEqual({ waId: undefined, bsuid: BSUID });
    // A contact known only by the id it is keyed by (an imported number) has no ids stored.
    expect(storedIdentities({ lastInboundAt: 1 })).toBeUndefined();
    expect(storedIdentities(undefined)).toBeUndefined();
  });
});
