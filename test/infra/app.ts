// Builds the app exactly as bin/app.ts does, with the feature flags from cdk.json, for the infra tests.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
// Removes the temporary cloud assemblies after each test file.
import 'aws-cdk-lib/testhelpers/jest-autoclean';
import { addAfterchat, type Afterchat } from '../../lib/afterchat';
import { stageConfig } from '../../lib/config';

interface CdkJson {
  context: Record<string, unknown>;
}

const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as CdkJson;

export interface TestApp extends Afterchat {
  readonly app: App;
}

export interface BuildOptions {
  /** @default 'dev' */
  readonly stage?: string;
  /** Run esbuild for real. @default false, because it costs seconds and most tests only read templates. */
  readonly bundle?: boolean;
  /**
   * Run CDK's built-in CloudFormation schema validation, as `cdk synth` does. @default false,
   * because loading the schemas costs about 6 s per test file; the cdk-nag test keeps it on.
   */
  readonly cfnValidation?: boolean;
  /** Extra context values, as `-c key=value` gives them (e.g. `stateTableIndexes`). */
  readonly context?: Record<string, unknown>;
}

export function buildApp(options: BuildOptions = {}): TestApp {
  const context: Record<string, unknown> = { ...cdkJson.context, ...options.context };
  if (!options.bundle) {
    context['aws:cdk:bundling-stacks'] = [];
  }
  const app = new App({
    context,
    builtinCloudFormationValidation: options.cfnValidation ?? false,
  });
  return { app, ...addAfterchat(app, stageConfig(options.stage ?? 'dev')) };
}
