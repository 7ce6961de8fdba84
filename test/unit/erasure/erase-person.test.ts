/**
 * Interface under test: erasePerson and isErased (lambdas/erasure/erase-person.ts) over a fake
 * ErasureStore: which ids a person is erased under (the links their records hold, followed to the
 * end), what stays (a tombstone per id, a hash), and that a second erasure removes nothing.
 */
import { createHash } from 'node:crypto';
import { collectPersonIds, MAX_PERSON_IDS } from '../../../lambdas/domain/erasure/person-ids';
import { erasureHash, noneErased } from '../../../lambdas/domain/erasure/tombstone';
import type { ContactRef } from '../../../lambdas/domain/events';
import { erasePerson, isErased } from '../../../lambdas/erasure/erase-person';
import { FakeErasureStore } from '../../helpers/fake-erasure-store';
import { DE_BSUID, DE_WA, PAGE, PHONE, PSID } from '../../helpers/sample-ids';

const NOW = Date.UTC(2026, 4, 17, 14);
const OLD_BSUID = 'DE.11111111111111111111';

const wa = (userId: string): ContactRef => ({ channel: 'whatsapp', accountId: PHONE, userId });
const accounts = { get: () => Promise.resolve({ channel: 'whatsapp' as const, accountId: PHONE, displayName: 'Shop', timezone: 'Europe/Berlin', tokenSecret: 'afterchat/dev/tokens/t', businessPortfolioId: '123' }) };

/** A wa_id's record naming its BSUID and the BSUID a username change replaced; each BSUID links back. */
const linkedPerson = () =>
  new FakeErasureStore(
    new Map([
      [DE_WA, { state: { waId: DE_WA, bsuid: DE_BSUID, previousBsuid: OLD_BSUID }, items: 3 }],
      [DE_BSUID, { state: { linkedUserId: DE_WA }, items: 1 }],
      [OLD_BSUID, { state: { linkedUserId: DE_BSUID }, items: 0 }],
    ]),
  );

describe('erasePerson', () => {
  it.each([DE_WA, DE_BSUID, OLD_BSUID])('erases the person under every id their records link, asked by %s', async (asked) => {
    // Prepare
    const erasure = linkedPerson();

    // Act
    const result = await erasePerson({ erasure, accounts, clock: () => NOW }, wa(asked));

    // Assess
    expect(erasure.records.size).toBe(0);
    expect(result).toMatchObject({ ids: 3, total: 7, removed: { contactRecords: 3, sends: 4 } });
    expect(new Set(result.tombstones)).toEqual(new Set([DE_WA, DE_BSUID, OLD_BSUID].map((id) => erasureHash(wa(id)))));
    expect(erasure.erasedWith).toEqual([{ portfolioId: '123' }]);
  });

  it('keeps only hashes: SHA-256 of channel#account#user, no id in the clear', async () => {
    // Prepare
    const erasure = linkedPerson();

    // Act
    const result = await erasePerson({ erasure, accounts, clock: () => NOW }, wa(DE_WA));

    // Assess
    expect(result.tombstones).toContain(createHash('sha256').update(`whatsapp#${PHONE}#${DE_WA}`).digest('hex'));
    expect(JSON.stringify([...erasure.tombstones])).not.toMatch(new RegExp(`${DE_WA}|${DE_BSUID}|${OLD_BSUID}`));
    expect([...erasure.tombstones.values()]).toEqual([NOW, NOW, NOW]);
  });

  it('removes nothing the second time, and keeps the first erasure’s time', async () => {
    // Prepare
    const erasure = linkedPerson();
    await erasePerson({ erasure, accounts, clock: () => NOW }, wa(DE_WA));

    // Act
    const again = await erasePerson({ erasure, accounts, clock: () => NOW + 60_000 }, wa(DE_WA));

    // Assess
    expect(again).toMatchObject({ ids: 1, total: 0, removed: noneErased() });
    expect(erasure.tombstones.get(erasureHash(wa(DE_WA)))).toBe(NOW);
  });

  it('asks no portfolio of a Messenger account', async () => {
    // Prepare
    const erasure = new FakeErasureStore(new Map([[PSID, { state: {}, items: 2 }]]));
    const noAccountRead = { get: () => Promise.reject(new Error('not asked')) };

    // Act
    const result = await erasePerson({ erasure, accounts: noAccountRead, clock: () => NOW }, { channel: 'messenger', accountId: PAGE, userId: PSID });

    // Assess
    expect(result.total).toBe(3);
    expect(erasure.erasedWith).toEqual([{}]);
  });
});

describe('isErased', () => {
  it('knows every id of an erased person, and no other', async () => {
    // Prepare
    const erasure = linkedPerson();
    await erasePerson({ erasure, accounts, clock: () => NOW }, wa(DE_WA));

    // Act & Assess
    expect(await isErased(erasure, wa(DE_BSUID))).toBe(true);
    expect(await isErased(erasure, wa(OLD_BSUID))).toBe(true);
    expect(await isErased(erasure, wa('4915199999999'))).toBe(false);
    expect(await isErased(erasure, { channel: 'whatsapp', accountId: 'another', userId: DE_WA })).toBe(false);
  });
});

describe('collectPersonIds', () => {
  it('stops at the most ids a person can hold, whatever a corrupt chain of links says', async () => {
    // Act
    const ids = await collectPersonIds(wa('0'), ({ userId }) => Promise.resolve({ linkedUserId: String(Number(userId) + 1) }));

    // Assess
    expect(ids).toHaveLength(MAX_PERSON_IDS);
  });
});
