import { checkGraphApiVersion, type GraphApiVersionCheck, graphApiVersionWarning } from '../domain/graph-api-versions';
import { alertGraphApiVersion } from '../shared/graph-api-version-alert';
import type { AdminRouteImpls, Handler } from './route-handler';

/** `ok`: nothing to do; `warning`: act before a date; `error`: something is broken now. */
export type HealthStatus = 'ok' | 'warning' | 'error';

const SEVERITY: Record<HealthStatus, number> = { ok: 0, warning: 1, error: 2 };

/** One check's share of the health view; later checks sit beside `graphApi` with the same status vocabulary. */
interface CheckResult<T> {
  status: HealthStatus;
  warning?: string;
  view: T;
}

/** The configured version, its dates from the table, and `endingSoon` (true within 60 days of its end, and after it). */
type GraphApiView = Omit<GraphApiVersionCheck, 'version'> & { version: string | null; endingSoon: boolean };

const graphApiCheck = (version: string | undefined, now: number): CheckResult<GraphApiView> & { check?: GraphApiVersionCheck } => {
  if (version === undefined) {
    const view: GraphApiView = { version: null, status: 'unknown_version', introduced: null, endsAt: null, daysLeft: null, source: null, endingSoon: false };
    return { status: 'error', warning: 'No Graph API version is configured for the admin API (GRAPH_API_VERSION)', view };
  }
  const check = checkGraphApiVersion(version, now);
  const status: HealthStatus = check.status === 'ok' ? 'ok' : check.status === 'ended' ? 'error' : 'warning';
  return { status, check, warning: graphApiVersionWarning(check), view: { ...check, endingSoon: check.status === 'ending_soon' || check.status === 'ended' } };
};

/**
 * `GET /admin/health`: the stack's checks, each with its status, the worst of them as `status`, and
 * every check's warning in `warnings[]`. Always 200: the body says how healthy the stack is.
 */
const getHealth: Handler<'GET /admin/health'> = (deps) => {
  const now = deps.clock();
  const graphApi = graphApiCheck(deps.graphApiVersion, now);
  if (graphApi.check) alertGraphApiVersion(graphApi.check, deps, 'admin-health');
  const checks = [graphApi];
  const status = checks.reduce<HealthStatus>((worst, c) => (SEVERITY[c.status] > SEVERITY[worst] ? c.status : worst), 'ok');
  return Promise.resolve({
    status: 200,
    body: {
      status,
      checkedAt: new Date(now).toISOString(),
      warnings: checks.flatMap((c) => (c.warning === undefined ? [] : [c.warning])),
      graphApi: graphApi.view,
    },
  });
};

export const healthRoutes = {
  'GET /admin/health': { handle: getHealth },
} satisfies Partial<AdminRouteImpls>;
