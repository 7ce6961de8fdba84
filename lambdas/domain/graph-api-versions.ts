// The version table is pure data in lib/graph-api-versions.ts, so synth can refuse an ended version
// without lib/ importing lambdas/; the rules about it (days left, the 60-day warning) live here.
import { endInstant, graphApiVersionRow, type VersionSource } from '../../lib/graph-api-versions';

export { GRAPH_API_CHANGELOG, GRAPH_API_VERSIONS, type GraphApiVersionRow } from '../../lib/graph-api-versions';

const DAY_MS = 86_400_000;

/** A version this close to its end, or closer, is flagged (health view, log warning, metric). */
export const ENDING_SOON_DAYS = 60;

export type GraphApiVersionStatus = 'ok' | 'ending_soon' | 'ended' | 'unknown_version';

export interface GraphApiVersionCheck {
  version: string;
  status: GraphApiVersionStatus;
  /** Release date (YYYY-MM-DD); null for a version the table does not know. */
  introduced: string | null;
  /** ISO-8601 instant the version ends (00:00 UTC of Meta's "available until" day); null when not announced or unknown. */
  endsAt: string | null;
  /** Whole days until `endsAt`, rounded up; 0 once ended; null when there is no end date. */
  daysLeft: number | null;
  source: VersionSource | null;
}

/** What the table says about `version` at `now` (epoch ms). */
export function checkGraphApiVersion(version: string, now: number): GraphApiVersionCheck {
  const row = graphApiVersionRow(version);
  if (!row) return { version, status: 'unknown_version', introduced: null, endsAt: null, daysLeft: null, source: null };
  const base = { version, introduced: row.introduced, source: row.source };
  if (row.availableUntil === null) return { ...base, status: 'ok', endsAt: null, daysLeft: null };
  const end = endInstant(row.availableUntil);
  const daysLeft = Math.max(0, Math.ceil((end - now) / DAY_MS));
  const status: GraphApiVersionStatus = now >= end ? 'ended' : daysLeft <= ENDING_SOON_DAYS ? 'ending_soon' : 'ok';
  return { ...base, status, endsAt: new Date(end).toISOString(), daysLeft };
}

/** A sentence for an operator when the version needs attention; undefined when it does not. */
export function graphApiVersionWarning(check: GraphApiVersionCheck): string | undefined {
  switch (check.status) {
    case 'ok':
      return undefined;
    case 'ending_soon':
      return `Graph API ${check.version} ends ${check.endsAt} (${check.daysLeft} days left): move send.graphApiVersion in lib/config.ts to a newer version and redeploy`;
    case 'ended':
      return `Graph API ${check.version} ended ${check.endsAt}: Meta no longer serves it; move send.graphApiVersion in lib/config.ts to a newer version and redeploy`;
    case 'unknown_version':
      return `Graph API ${check.version} is not in the version table (lib/graph-api-versions.ts), so its end date is unknown`;
  }
}
