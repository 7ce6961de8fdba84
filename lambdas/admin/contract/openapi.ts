/**
 * The admin API as an OpenAPI 3.1 document, generated from the contract's zod schemas by zod-openapi
 * (served at `GET /admin/openapi.json`). Requests are described as the schemas accept them, answers
 * as they produce them.
 */
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { version } from '../../../package.json';
import { CONTRACT_AREAS } from './index';
import { accessOf } from './match';
import { ErrorSchema, type RouteContract, type RouteKey, splitKey } from './route-contract';

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

const SUCCESS_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };

/** An HTTP status as the responses object keys it. */
type StatusKey = `${1 | 2 | 3 | 4 | 5}${string}`;

const MALFORMED = 'A malformed path, query or body: `invalid path`, `unknown channel`, `invalid query`, `malformed JSON` or `invalid <body>`, with `detail: [{path, message}]`';

const responsesOf = (route: RouteContract): ZodOpenApiResponsesObject => {
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status as StatusKey] = { description: SUCCESS_TEXT[status] ?? status, content: { 'application/json': { schema } } };
  }
  if (route.path || route.query || route.body) {
    responses['400'] = errorResponse(MALFORMED);
  }
  for (const [status, when] of Object.entries(route.errors ?? {})) {
    responses[status as StatusKey] = errorResponse(status === '400' ? `${MALFORMED}; or ${when}` : when);
  }
  responses.default = errorResponse('Any other refusal: 404 `no such route`, 405 `method not allowed` (its `Allow` header lists the path’s methods), 503 when the audit log can’t record a write (nothing changed), 500 `internal error`');
  return responses;
};

const operationOf = (key: RouteKey, route: RouteContract, tag: string): ZodOpenApiOperationObject => ({
  operationId: route.operationId,
  summary: route.summary,
  description: `${route.description === undefined ? '' : `${route.description}\n\n`}Access level: ${String(accessOf(key))} (README "Access levels").`,
  tags: [tag],
  'x-access-level': accessOf(key),
  ...(route.path || route.query ? { requestParams: { ...(route.path ? { path: route.path } : {}), ...(route.query ? { query: route.query } : {}) } } : {}),
  ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body.schema } } } } : {}),
  responses: responsesOf(route),
});

const buildDocument = () => {
  const paths: ZodOpenApiPathsObject = {};
  for (const [tag, table] of Object.entries(CONTRACT_AREAS)) {
    for (const [key, route] of Object.entries(table) as [RouteKey, RouteContract][]) {
      const { method, path } = splitKey(key);
      paths[path] = { ...paths[path], [method.toLowerCase()]: operationOf(key, route, tag) };
    }
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'afterchat admin API',
      version,
      description: 'IAM-authorised in AWS (SigV4, service `execute-api`); open on the local stack. Every 4xx and 5xx answer is an `Error`. Every time is ISO-8601, but in a quarantined `item` (listQuarantine).',
    },
    tags: Object.keys(CONTRACT_AREAS).map((name) => ({ name })),
    security: [{ sigv4: [] }],
    components: {
      securitySchemes: {
        sigv4: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'AWS Signature Version 4 for `execute-api`', 'x-amazon-apigateway-authtype': 'awsSigv4' },
      },
    },
    paths,
  });
};

let document: ReturnType<typeof buildDocument> | undefined;

/** The document, built once per process: the contract doesn't change while it runs. */
export const openApiDocument = (): ReturnType<typeof buildDocument> => (document ??= buildDocument());
