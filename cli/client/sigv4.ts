/**
 * SigV4 for a deployed stack's admin API (IAM authorisation on API Gateway): service `execute-api`,
 * the region from the URL, the operator's credentials from the SDK's default chain (environment,
 * profile and SSO, web identity, container and instance roles), signed by the SDK's own signer.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, HttpRequest } from '@smithy/types';
import { CliError, EXIT, UsageError } from '../errors';

const SIGNING_SERVICE = 'execute-api';

/** `abc123.execute-api.eu-west-1.amazonaws.com` (and the China partition's `.com.cn`). */
const EXECUTE_API_HOST = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** The URL's region, else `--region`, AWS_REGION or AWS_DEFAULT_REGION (a custom domain names none). */
export const signingRegion = (hostname: string, flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string => {
  const region = EXECUTE_API_HOST.exec(hostname)?.[1] ?? flag ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region === undefined) throw new UsageError(`can't tell the AWS region of ${hostname}: pass --region or set AWS_REGION`);
  return region;
};

export type RequestSigner = (request: HttpRequest) => Promise<HttpRequest>;

export const createSigner = (options: {
  region: string;
  url: string;
  credentials?: AwsCredentialIdentityProvider;
  /** The signing time; the system clock when absent. */
  now?: () => number;
}): RequestSigner => {
  const provider = options.credentials ?? defaultProvider();
  const signer = new SignatureV4({
    service: SIGNING_SERVICE,
    region: options.region,
    sha256: Sha256,
    credentials: async () => {
      try {
        return await provider();
      } catch (error) {
        throw new CliError(`no AWS credentials to sign requests to ${options.url} with: ${(error as Error).message}`, EXIT.unreachable, [
          'set AWS_PROFILE (after `aws sso login` if it uses SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
        ]);
      }
    },
  });
  const now = options.now ?? Date.now;
  return (request) => signer.sign(request, { signingDate: new Date(now()) });
};
