import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** An API Gateway HTTP API (payload 2.0) event, as Lambda receives it. */
export const httpEvent = (options: {
  method: string;
  path?: string;
  body?: string | Buffer;
  base64?: boolean;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}): APIGatewayProxyEventV2 => {
  const path = options.path ?? '/webhooks/meta';
  const body =
    options.body === undefined ? undefined : options.base64 ? Buffer.from(options.body).toString('base64') : options.body.toString();
  return {
    version: '2.0',
    routeKey: `${options.method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: options.headers ?? {},
    queryStringParameters: options.query,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: options.method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'facebookexternalua' },
      requestId: 'req-1',
      routeKey: `${options.method} ${path}`,
      stage: '$default',
      time: '17/May/2026:12:00:00 +0000',
      timeEpoch: Date.UTC(2026, 4, 17, 12),
    },
    body,
    isBase64Encoded: options.base64 === true,
  };
};
