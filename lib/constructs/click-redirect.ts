import { Duration, Validations } from 'aws-cdk-lib';
import { HttpMethod, type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ClicksConfig, PowertoolsLogLevel } from '../config';
import { grantSecretValue, grantTableAccess, STATE_TABLE_ACCESS } from './function-access';
import { NodeFunction } from './node-function';

export interface ClickRedirectProps {
  readonly entry: string;
  readonly api: HttpApi;
  readonly table: ITableV2;
  readonly trackingKey: ISecret;
  readonly clicks: ClicksConfig;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
}

/**
 * `GET /r/{token}` on the webhook API (README "Clicks"): its own small function, so a burst of
 * clicks never queues behind Meta's webhooks, reading the tracking key and counting the click.
 */
export class ClickRedirect extends Construct {
  readonly function: NodeFunction;
  /** Where tracking links point, up to the token: the stage's setting, else the API's own `/r/`. */
  readonly redirectBase: string;

  constructor(scope: Construct, id: string, props: ClickRedirectProps) {
    super(scope, id);
    this.redirectBase = props.clicks.redirectBaseUrl ?? `${props.api.apiEndpoint}/r/`;
    this.function = new NodeFunction(this, 'Function', {
      entry: props.entry,
      description: 'Tracking links: verifies the signed token, counts the click, redirects to the target the message carried',
      serviceName: 'click-redirect',
      // A person waits on the answer: a GetItem and two writes, or nothing.
      timeout: Duration.seconds(5),
      memorySize: 256,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        TABLE_NAME: props.table.tableName,
        TRACKING_KEY_SECRET_ID: props.trackingKey.secretArn,
        PREVIEW_WINDOW_SECONDS: String(props.clicks.previewWindowSeconds),
      },
    });
    grantTableAccess(props.table, this.function.function, STATE_TABLE_ACCESS.redirect);
    grantSecretValue(this.function.function, props.trackingKey);

    const routes = props.api.addRoutes({
      path: '/r/{token}',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('ClickRedirectIntegration', this.function.function),
    });
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'A person taps the link in a chat app: no credentials can travel with it. The token is its own authorisation: an HMAC-SHA256 signature (tracking key in Secrets Manager) over the message and link it names, with an expiry; a forged one answers 403 and the target is only ever one the message carried.',
      });
    }
  }
}
