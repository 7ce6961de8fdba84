import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StageConfig } from './config';
import { assertGraphApiVersionServed } from './graph-api-versions';
import { ReliabilityChecks } from './reliability-checks';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

export interface Afterchat {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

export interface AfterchatOptions {
  /** The synth-time clock (epoch ms) the Graph API version is checked against. @default Date.now() */
  readonly now?: number;
}

/**
 * Builds one stage of the system. Shared by `bin/app.ts` and the infrastructure tests, so the
 * tests synthesise exactly what is deployed, cdk-nag included.
 */
export function addAfterchat(app: App, config: StageConfig, options: AfterchatOptions = {}): Afterchat {
  // Synth refuses a Graph API version Meta no longer serves: every send would fail.
  assertGraphApiVersionServed(config.send.graphApiVersion, options.now ?? Date.now());
  const prefix = `afterchat-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-stateful`, {
    description: `afterchat ${config.stage}: state table and Meta secrets`,
    config,
  });
  const stateless = new StatelessStack(app, `${prefix}-stateless`, {
    description: `afterchat ${config.stage}: HTTP API, Lambda functions, send queues and campaigns`,
    config,
    table: stateful.table,
    metaSecrets: stateful.metaSecrets,
  });

  // Unacknowledged findings make synth fail, so a new one cannot reach a deployment unnoticed.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ReliabilityChecks(app));

  return { stateful, stateless };
}
