import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { GraphApiVersion, PowertoolsLogLevel, TemplateSyncConfig } from '../config';
import { grantSecretValue, grantTokenSecrets, grantTableAccess, STATE_TABLE_ACCESS } from './function-access';
import { NodeFunction } from './node-function';
import { GRAPH_API_BASE_URL } from './send-pipeline';

/** A sync reads a few pages per WABA or Page; five minutes leave room for many accounts, and end well before the next firing. */
const SYNC_TIMEOUT = Duration.minutes(5);

export interface TemplateSyncProps {
  /** Absolute path of the template-sync handler file; it must export `handler`. */
  readonly entry: string;
  readonly stage: string;
  readonly config: TemplateSyncConfig;
  readonly graphApiVersion: GraphApiVersion;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly table: ITableV2;
  /** The Meta App Secret, for `appsecret_proof`. */
  readonly appSecret: ISecret;
  /** Name prefix of the per-account access-token secrets, e.g. `afterchat/dev/tokens/`. */
  readonly accessTokenPrefix: string;
}

/**
 * Template sync: a function that reads every WABA's and Page's templates from Meta's listings into
 * the state table, fired by an EventBridge schedule (every `scheduleMinutes`). It may read the table,
 * the stage's token secrets and the app secret; nothing else.
 */
export class TemplateSync extends Construct {
  readonly function: NodeFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, private readonly props: TemplateSyncProps) {
    super(scope, id);
    const { config, table } = props;

    this.function = new NodeFunction(this, 'Function', {
      entry: props.entry,
      description: "Template sync: reads every account's message templates from Meta and reconciles them",
      serviceName: 'template-sync',
      timeout: SYNC_TIMEOUT,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        TABLE_NAME: table.tableName,
        ...this.graphEnvironment(),
      },
    });
    const fn = this.function.function;
    grantTableAccess(table, fn, STATE_TABLE_ACCESS.templateSync);
    this.grantGraphReads(this.function);

    // A missed firing needs no retry: the next one comes within the interval and reads everything again.
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(config.scheduleMinutes) });
    this.rule = new Rule(this, 'Schedule', {
      ruleName: `afterchat-${props.stage}-template-sync`,
      description: `Reads every account's templates from Meta every ${config.scheduleMinutes} minutes`,
      schedule: Schedule.rate(Duration.minutes(config.scheduleMinutes)),
      targets: [new LambdaFunction(fn, { retryAttempts: 0, maxEventAge: Duration.minutes(config.scheduleMinutes) })],
    });
  }

  /** What a function needs in its environment to call Meta's listings as this one does. */
  graphEnvironment(): Record<string, string> {
    return {
      GRAPH_API_BASE_URL,
      GRAPH_API_VERSION: this.props.graphApiVersion,
      APP_SECRET_ID: this.props.appSecret.secretArn,
      TOKEN_SECRET_PREFIX: this.props.accessTokenPrefix,
    };
  }

  /**
   * Lets a function read the listings: the app secret, and GetSecretValue on the stage's token
   * prefix (the admin API's sync route uses this too). The environment is `graphEnvironment()`.
   */
  grantGraphReads(target: NodeFunction): void {
    const fn = target.function;
    const prefix = this.props.accessTokenPrefix;
    grantSecretValue(fn, this.props.appSecret);
    grantTokenSecrets(fn, prefix, "Template listings are read with each Page's or WhatsApp number's own access token.");
  }
}
