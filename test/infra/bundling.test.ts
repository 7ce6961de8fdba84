// REAL BUNDLING: the only infra test that runs esbuild, so the handler entry paths and bundle settings stay honest.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { buildApp } from './app';

describe('Lambda bundles', () => {
  it('bundles every handler as minified ESM with source maps, the createRequire banner and an external AWS SDK', () => {
    // Prepare
    const { app, stateless } = buildApp({ bundle: true });

    // Act
    const assembly = app.synth();
    const template = assembly.getStackArtifact(stateless.artifactId).template as {
      Resources: Record<string, { Properties: { Code: { S3Key: string } } }>;
    };

    // Assess
    const assetDirOf = (fn: IConstruct): string => {
      const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
      const s3Key = template.Resources[logicalId]!.Properties.Code.S3Key;
      return path.join(assembly.directory, `asset.${path.basename(s3Key, '.zip')}`);
    };
    for (const fn of [
      stateless.webhook.function,
      stateless.admin.function,
      stateless.sendPipeline.sender.function,
      stateless.campaigns.dispatcher.function,
      stateless.sweeper.function.function,
    ]) {
      const assetDir = assetDirOf(fn);
      const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire } from 'module';const require = createRequire(import.meta.url);")).toBe(true);
      expect(existsSync(path.join(assetDir, 'index.mjs.map'))).toBe(true);
      // `from"` without a space shows minification; the import shows the SDK stayed external.
      expect(bundle).toMatch(/from"@aws-sdk\/[a-z-]+"/);
    }
    // What Meta and a person clicking wait on loads the SQS and EventBridge SDKs on first use, not at cold start.
    for (const fn of [stateless.webhook.function, stateless.clickRedirect.function.function]) {
      const bundle = readFileSync(path.join(assetDirOf(fn), 'index.mjs'), 'utf8');
      expect(bundle).not.toMatch(/from\s*"@aws-sdk\/client-(eventbridge|sqs)"/);
      expect(bundle).toContain('import("@aws-sdk/client-eventbridge")');
    }
    expect(readFileSync(path.join(assetDirOf(stateless.webhook.function), 'index.mjs'), 'utf8')).toContain('import("@aws-sdk/client-sqs")');
  }, 60_000);
});
