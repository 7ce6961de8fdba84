/**
 * Interface under test: `GET /admin/contacts/…/profile`, the contact view's profile, and the access
 * export's refusals, through the admin handler; every answer held to the contract. The export's
 * contents are tested on the local stack (test/integration/contact-export.int.test.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { type AdminDeps, createAdminHandler } from '../../../lambdas/admin/admin-api';
import { consentRegister, type ConsentRecord } from '../../../lambdas/domain/consent/consent-record';
import type { PersonData } from '../../../lambdas/ports/person-data';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import { expectContract } from '../../helpers/admin-contract';
import { httpEvent } from '../../helpers/api-gateway-event';
import { DE_BSUID, DE_WA, PAGE, PHONE, PSID } from '../../helpers/sample-ids';
import { PeopleStore } from '../campaign/fakes';

const NOW = Date.parse('2026-05-17T12:00:00Z');
const CAPTURED = NOW - 86_400_000;
const NEW_WA = '4915112345679';
const OLD_WA = '4915112345670';

const consent: ConsentRecord = {
  topic: 'offers',
  basis: 'express',
  source: 'whatsapp_button',
  capturedAt: CAPTURED,
  textShown: 'Offers from Shop, at most weekly? Reply YES',
  answer: 'CONSENT_YES',
  eventKey: 'ev-consent',
};

const people: ContactRecord[] = [
  {
    channel: 'whatsapp',
    accountId: PHONE,
    userId: DE_WA,
    state: {
      waId: DE_WA,
      lastInboundAt: NOW - 3_600_000,
      profileTags: ['vip', 'newsletter'],
      profileAttributes: { firstName: 'Lena', locale: 'de_DE' },
      timeZone: 'Europe/Berlin',
      country: 'DE',
      [consentRegister('offers')]: JSON.stringify(consent),
      [`${consentRegister('offers')}Order`]: '000',
    },
    optIns: [],
  },
  { channel: 'messenger', accountId: PAGE, userId: PSID, state: {}, optIns: [] },
  // A person who changed number once and is also known by BSUID.
  { channel: 'whatsapp', accountId: PHONE, userId: NEW_WA, state: { waId: NEW_WA, bsuid: DE_BSUID, previousWaId: OLD_WA }, optIns: [] },
];

const setup = (personData?: PersonData) => {
  const handler = createAdminHandler({
    store: new PeopleStore(people),
    accounts: {} as AdminDeps['accounts'],
    automationConfigs: {} as AdminDeps['automationConfigs'],
    clock: () => NOW,
    logger: new Logger({ logLevel: 'CRITICAL' }),
    sends: {} as AdminDeps['sends'],
    campaigns: {} as AdminDeps['campaigns'],
    profiles: {} as AdminDeps['profiles'],
    ...(personData === undefined ? {} : { personData }),
  });
  return async (path: string, query?: Record<string, string>) => {
    const result = await handler(httpEvent({ method: 'GET', path, ...(query ? { query } : {}) }));
    const answer = { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
    expectContract('GET', path, answer.status ?? 200, answer.body);
    return answer;
  };
};

describe('GET /admin/contacts/{channel}/{accountId}/{userId}/profile', () => {
  it('answers the tags, attributes, time zone, country and each consent with what the person was shown', async () => {
    // Act
    const answer = await setup()(`/admin/contacts/whatsapp/${PHONE}/${DE_WA}/profile`);

    // Assess
    expect(answer).toEqual({
      status: 200,
      body: {
        channel: 'whatsapp',
        accountId: PHONE,
        userId: DE_WA,
        tags: ['vip', 'newsletter'],
        attributes: { firstName: 'Lena', locale: 'de_DE' },
        timeZone: 'Europe/Berlin',
        country: 'DE',
        consents: [
          {
            topic: 'offers',
            basis: 'express',
            source: 'whatsapp_button',
            capturedAt: new Date(CAPTURED).toISOString(),
            textShown: 'Offers from Shop, at most weekly? Reply YES',
            answer: 'CONSENT_YES',
          },
        ],
      },
    });
  });

  it('answers an empty profile for a person nobody described', async () => {
    // Act
    const answer = await setup()(`/admin/contacts/messenger/${PAGE}/${PSID}/profile`);

    // Assess
    expect(answer.body).toEqual({ channel: 'messenger', accountId: PAGE, userId: PSID, tags: [], attributes: {}, consents: [] });
  });

  it('answers 404 for a person afterchat never heard of', async () => {
    // Act
    const answer = await setup()(`/admin/contacts/messenger/${PAGE}/7000000000000001/profile`);

    // Assess
    expect(answer.status).toBe(404);
  });

  it('is part of the contact view', async () => {
    // Act
    const answer = await setup()(`/admin/contacts/whatsapp/${PHONE}/${DE_WA}`);

    // Assess
    expect(answer.body.profile).toEqual({ tags: ['vip', 'newsletter'], attributes: { firstName: 'Lena', locale: 'de_DE' }, timeZone: 'Europe/Berlin', country: 'DE' });
  });
});

describe('GET /admin/contacts/{channel}/{accountId}/{userId}/export', () => {
  const nothingStored: PersonData = { contactItems: () => Promise.resolve([]), personItems: () => Promise.resolve({ items: [] }) };

  it('answers 404 for a person afterchat never heard of', async () => {
    // Act
    const answer = await setup(nothingStored)(`/admin/contacts/messenger/${PAGE}/7000000000000001/export`);

    // Assess
    expect(answer.status).toBe(404);
  });

  it('answers 503 where the API has no access to the person index', async () => {
    // Act
    const answer = await setup()(`/admin/contacts/whatsapp/${PHONE}/${DE_WA}/export`);

    // Assess
    expect(answer.status).toBe(503);
  });

  it('asks the person index under every id the person is held by', async () => {
    // Prepare
    const asked: string[][] = [];
    const personData: PersonData = {
      contactItems: () => Promise.resolve([]),
      personItems: (contacts) => {
        asked.push(contacts.map((c) => c.userId));
        return Promise.resolve({ items: [] });
      },
    };

    // Act
    const answer = await setup(personData)(`/admin/contacts/whatsapp/${PHONE}/${NEW_WA}/export`);

    // Assess
    expect(answer.body.userIds).toEqual([NEW_WA, DE_BSUID, OLD_WA]);
    expect(asked).toEqual([[NEW_WA, DE_BSUID, OLD_WA]]);
  });

  it('hands out the person’s clicks, conversions and customer id lookups beside their sends', async () => {
    // Prepare
    const personData: PersonData = {
      contactItems: () => Promise.resolve([]),
      personItems: () =>
        Promise.resolve({
          items: [
            { kind: 'send', item: { pk: 'O#ob_1', sk: 'OUTBOX' } },
            { kind: 'click', item: { pk: 'CLICK#ob_1', sk: '2026-05-21T08:00:00.000Z#link:0' } },
            { kind: 'conversion', item: { pk: `ORDER#whatsapp#${PHONE}#SK-1`, sk: 'CONVERSION', outboxId: 'ob_1' } },
            { kind: 'customerKey', item: { pk: `CUSTKEY#whatsapp#${PHONE}#0f`, sk: NEW_WA } },
          ],
        }),
    };

    // Act
    const answer = await setup(personData)(`/admin/contacts/whatsapp/${PHONE}/${NEW_WA}/export`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      sends: [{ pk: 'O#ob_1' }],
      clicks: [{ pk: 'CLICK#ob_1' }],
      conversions: [{ pk: `ORDER#whatsapp#${PHONE}#SK-1`, outboxId: 'ob_1' }],
      customerKeys: [{ sk: NEW_WA }],
    });
  });
});
