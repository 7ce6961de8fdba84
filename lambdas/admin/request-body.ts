import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export const MALFORMED = Symbol('malformed');

/** The request body as JSON, or MALFORMED. */
export const readJson = (event: APIGatewayProxyEventV2): unknown => {
  try {
    return JSON.parse(event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8') : '') as unknown;
  } catch {
    return MALFORMED;
  }
};

/** zod issues as the admin API reports them: where, and what is wrong. */
export const issuesOf = (error: { issues: { path: PropertyKey[]; message: string }[] }) =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
