/**
 * Interface under test: `DELETE /admin/contacts/{channel}/{accountId}/{userId}/handoff` taking back
 * a Messenger thread a handoff passed (lambdas/admin/handoff-routes.ts), on the admin rig with a
 * recording Graph API and recording metrics. The person's state is what the handoff rule's writes
 * leave (register model).
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { mergeContactStates } from '../../../lambdas/adapters/dynamodb/contact-merge';
import { createAdminHandler } from '../../../lambdas/admin/admin-api';
import { handoffWrite } from '../../../lambdas/domain/automation/handoff';
import { threadMoveWrite } from '../../../lambdas/domain/automation/thread-move';
import type { ContactRef } from '../../../lambdas/domain/events';
import type { RegisterWrite } from '../../../lambdas/domain/state-writes';
import type { ThreadControlRequest, ThreadControlResult } from '../../../lambdas/ports/graph-api';
import { type AutomationConfigInput, AutomationConfigSchema } from '../../../lambdas/schemas/automation-config';
import { expectContract } from '../../helpers/admin-contract';
import { httpEvent } from '../../helpers/api-gateway-event';
import { RegisterModel } from '../../helpers/register-model';
import { PAGE, PSID } from '../../helpers/sample-ids';
import { PeopleStore } from '../campaign/fakes';
import { adminRig, NOW } from './admin-rig';

const PERSON: ContactRef = { channel: 'messenger', accountId: PAGE, userId: PSID };
const PATH = `/admin/contacts/messenger/${PAGE}/${PSID}/handoff`;
const INBOX_APP = '263902037430900';
const ROUTED: AutomationConfigInput = { handoff: { threadControl: { targetAppId: INBOX_APP } } };
const HOUR = 3_600_000;
const KEYWORD_KEY = `messenger#${PAGE}#mid#m_1`;

/** The state a handoff word an hour ago left: acknowledged, and, when `passed`, the thread passed to the inbox app. */
const handedOver = (passed: boolean): Record<string, unknown> => {
  const at = NOW - HOUR;
  const model = new RegisterModel();
  model.applyWrites([
    handoffWrite({ contact: PERSON, eventKey: KEYWORD_KEY, at, source: 'keyword', timeoutHours: 24, keyword: 'AGENT', started: true, acknowledged: true }),
    ...(passed ? [threadMoveWrite(PERSON, 'pass', at, KEYWORD_KEY)] : []),
  ]);
  return mergeContactStates([...model.items.values()]);
};

const setup = async (options: { config?: AutomationConfigInput; passed?: boolean; meta?: ThreadControlResult; graph?: boolean } = {}) => {
  const { deps, automationConfigs } = adminRig();
  if (options.config) await automationConfigs.put(PERSON, AutomationConfigSchema.parse(options.config));
  const store = new PeopleStore([{ ...PERSON, state: handedOver(options.passed ?? true), optIns: [] }]);
  const calls: ThreadControlRequest[] = [];
  const counted: { name: string; dimensions: Record<string, string> }[] = [];
  const metrics = {
    singleMetric: () => {
      const dimensions: Record<string, string> = {};
      return { addDimension: (k: string, v: string) => void (dimensions[k] = v), addMetric: (name: string) => void counted.push({ name, dimensions }) };
    },
  } as unknown as Metrics;
  const threadControl = { threadControl: (request: ThreadControlRequest) => Promise.resolve(void calls.push(request)).then(() => options.meta ?? { ok: true as const }) };
  const handler = createAdminHandler({ ...deps, store, metrics, ...(options.graph === false ? {} : { threadControl }) });
  const resume = async () => {
    const result = await handler(httpEvent({ method: 'DELETE', path: PATH }));
    const status = Number(result.statusCode);
    const body = JSON.parse(String(result.body)) as Record<string, unknown>;
    expectContract('DELETE', PATH, status, body);
    return { status, body };
  };
  const moves = () => store.writes.filter((w: RegisterWrite) => w.register === 'threadMove').map((w) => w.fields.threadMoveAction);
  return { resume, calls, counted, moves };
};

describe('resuming a handoff that passed the Messenger thread', () => {
  it('takes the thread back from the inbox app and records the take', async () => {
    const { resume, calls, moves } = await setup({ config: ROUTED });
    const back = await resume();
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ handoff: { active: false, source: 'resume' }, threadControl: 'taken' });
    expect(calls).toEqual([{ channel: 'messenger', accountId: PAGE, userId: PSID, action: 'take', metadata: 'afterchat:admin' }]);
    expect(moves()).toEqual(['take']);
  });

  it('still resumes when Meta refuses: says so, counts ThreadControlFailed, and leaves the pass for a retry', async () => {
    const refused: ThreadControlResult = { ok: false, failure: { channel: 'messenger', httpStatus: 400, code: 10, requestSent: true }, message: 'app has no role on the Page' };
    const { resume, counted, moves } = await setup({ config: ROUTED, meta: refused });
    const back = await resume();
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ handoff: { active: false, source: 'resume' }, threadControl: 'failed' });
    expect(counted).toEqual([{ name: 'ThreadControlFailed', dimensions: { action: 'take' } }]);
    expect(moves()).toEqual([]);
  });

  it('takes nothing when no handoff passed the thread, the account names no inbox app, or the API has no Graph access', async () => {
    const notPassed = await setup({ config: ROUTED, passed: false });
    expect((await notPassed.resume()).body).toMatchObject({ handoff: { active: false }, threadControl: 'not_passed' });
    const noTarget = await setup({});
    expect((await noTarget.resume()).body).toMatchObject({ threadControl: 'not_configured' });
    const noGraph = await setup({ config: ROUTED, graph: false });
    expect((await noGraph.resume()).body).toMatchObject({ handoff: { active: false }, threadControl: 'not_configured' });
    expect([...notPassed.calls, ...noTarget.calls, ...noGraph.calls]).toEqual([]);
    expect([...notPassed.moves(), ...noTarget.moves(), ...noGraph.moves()]).toEqual([]);
  });
});
