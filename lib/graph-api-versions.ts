// Pure data, shared by synth (lib/afterchat.ts refuses an ended version) and the Lambdas
// (lambdas/domain/graph-api-versions.ts answers end date, days left and status). It must import
// nothing: lib/ may not import lambdas/, and the Lambda bundles must not pull in aws-cdk-lib.
// eslint.config.mjs enforces both.

/** Where a row's dates come from. */
export interface VersionSource {
  readonly title: string;
  readonly url: string;
  /** The date the source page said it was last updated (YYYY-MM-DD). */
  readonly updated: string;
}

export interface GraphApiVersionRow {
  /** Path segment, e.g. `v25.0`. */
  readonly version: string;
  /** Release date (YYYY-MM-DD, UTC). */
  readonly introduced: string;
  /** Meta's "Available until" (YYYY-MM-DD, UTC): from that day on the version is gone. `null`: not announced yet. */
  readonly availableUntil: string | null;
  readonly source: VersionSource;
}

/** Meta's Graph API changelog, as read for the 2026-H2 reference (meta-and-peers-2026h2.md §2.7). */
export const GRAPH_API_CHANGELOG: VersionSource = {
  title: "Meta's Graph API changelog",
  url: 'https://developers.facebook.com/documentation/development/graph-api/changelog',
  updated: '2026-10-29',
};

/**
 * Graph API versions, newest first. The changelog also lists a version introduced on 2026-11-04
 * whose name the reference does not confirm; it is left out until its name is known (no name is guessed).
 */
export const GRAPH_API_VERSIONS: readonly GraphApiVersionRow[] = [
  { version: 'v26.0', introduced: '2026-07-29', availableUntil: null, source: GRAPH_API_CHANGELOG },
  { version: 'v25.0', introduced: '2026-02-18', availableUntil: '2028-07-29', source: GRAPH_API_CHANGELOG },
  { version: 'v24.0', introduced: '2025-10-08', availableUntil: '2028-02-18', source: GRAPH_API_CHANGELOG },
  { version: 'v23.0', introduced: '2025-05-29', availableUntil: '2027-10-08', source: GRAPH_API_CHANGELOG },
  { version: 'v22.0', introduced: '2025-01-21', availableUntil: '2027-05-20', source: GRAPH_API_CHANGELOG },
  { version: 'v21.0', introduced: '2024-10-02', availableUntil: '2027-01-21', source: GRAPH_API_CHANGELOG },
  { version: 'v20.0', introduced: '2024-05-21', availableUntil: '2026-09-24', source: GRAPH_API_CHANGELOG },
];

/** The row for `version`, or undefined when the table does not know it. */
export const graphApiVersionRow = (version: string): GraphApiVersionRow | undefined => GRAPH_API_VERSIONS.find((row) => row.version === version);

/** The instant a version ends: the start (00:00 UTC) of its "available until" day. */
export const endInstant = (availableUntil: string): number => Date.parse(`${availableUntil}T00:00:00.000Z`);

/**
 * Synth's gate: throws when `version` has reached its end at `now` (epoch ms), or is not in the
 * table (its end would be unknown; add its row from Meta's changelog first).
 */
export function assertGraphApiVersionServed(version: string, now: number): void {
  const row = graphApiVersionRow(version);
  if (!row) {
    throw new Error(
      `Graph API version ${version} is not in lib/graph-api-versions.ts, so its end date is unknown. ` +
        `Add its row from ${GRAPH_API_CHANGELOG.url}, or set send.graphApiVersion in lib/config.ts to one of: ${GRAPH_API_VERSIONS.map((r) => r.version).join(', ')}`,
    );
  }
  if (row.availableUntil !== null && now >= endInstant(row.availableUntil)) {
    const served = GRAPH_API_VERSIONS.filter((r) => r.availableUntil === null || now < endInstant(r.availableUntil)).map((r) => r.version);
    throw new Error(
      `Graph API version ${version} ended on ${row.availableUntil} (${GRAPH_API_CHANGELOG.title}, updated ${GRAPH_API_CHANGELOG.updated}): ` +
        `Meta no longer serves it. Set send.graphApiVersion in lib/config.ts to a version still served: ${served.join(', ')}`,
    );
  }
}
