/**
 * Holds an admin API answer to its route's contract (lambdas/admin/contract): a success body must
 * parse with the schema of its status and carry no field the schema doesn't declare; any other
 * status must be one the route documents, with the one error shape. The admin rig checks every
 * answer with it, so each admin unit test also checks the contract.
 */
import { ErrorSchema } from '../../lambdas/admin/contract';
import { matchRoute } from '../../lambdas/admin/contract/match';
import { isAudited } from '../../lambdas/domain/audit/audit-entry';

/** Paths of `body` that `parsed` (what the schema kept) lacks: fields the contract doesn't declare. */
const undeclared = (body: unknown, parsed: unknown, path: string): string[] => {
  if (typeof body !== 'object' || body === null || typeof parsed !== 'object' || parsed === null) return [];
  const kept = parsed as Record<string, unknown>;
  return Object.entries(body).flatMap(([key, value]) => {
    const at = path === '' ? key : `${path}.${key}`;
    return key in kept ? undeclared(value, kept[key], at) : [at];
  });
};

/** What is wrong with the answer, or undefined when it keeps the contract. */
export const contractProblem = (method: string, path: string, status: number, body: unknown): string | undefined => {
  const match = matchRoute(method, path.split('?')[0] ?? path);
  const name = match ? match.route.key : `${method} ${path}`;
  const { route } = match?.route ?? {};
  const success = route?.responses[status as keyof typeof route.responses];
  if (status < 400 && !success) return `${name} answered ${status}, which its contract doesn't list`;
  if (status >= 400 && route) {
    const takesInput = route.path !== undefined || route.query !== undefined || route.body !== undefined;
    const documented = status in (route.errors ?? {}) || (status === 400 && takesInput) || status === 500 || (status === 503 && isAudited(method));
    if (!documented) return `${name} answered ${status}, which its contract doesn't list`;
  }
  const schema = success ?? ErrorSchema;
  const parsed = schema.safeParse(body);
  if (!parsed.success) return `${name} ${status}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  const extra = success ? undeclared(body, parsed.data, '') : [];
  return extra.length === 0 ? undefined : `${name} ${status}: fields its contract doesn't declare: ${extra.join(', ')}`;
};

/** Throws what is wrong with the answer. */
export const expectContract = (method: string, path: string, status: number, body: unknown): void => {
  const problem = contractProblem(method, path, status, body);
  if (problem !== undefined) throw new Error(`admin API answer off its contract: ${problem}`);
};

/** A call against a local stack's URL; an admin API answer is held to the contract (the stack's `/local/…` routes have none). */
export const adminCaller =
  (url: () => string) =>
  async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${url()}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
    if (path.startsWith('/admin/')) expectContract(method, path, answer.status, answer.body);
    return answer;
  };
