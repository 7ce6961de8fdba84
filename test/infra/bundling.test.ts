// REAL BUNDLING: the only infra test that runs esbuild, so the handler entry paths and bundle settings stay honest.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Stack, type CfnElement } from 'aws-cdk-lib';
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
    for (const fn of [
      stateless.webhook.function,
      stateless.admin.function,
      stateless.sendPipeline.sender.function,
      stateless.campaigns.dispatcher.function,
      stateless.sweeper.function.function,
    ]) {
      const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
      const s3Key = template.Resources[logicalId]!.Properties.Code.S3Key;
      const assetDir = path.join(assembly.directory, `asset.${path.basename(s3Key, '.zip')}`);
      const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire } from 'module';const require = createRequire(import.meta.url);")).toBe(true);
      expect(existsSync(path.join(assetDir, 'index.mjs.map'))).toBe(true);
      // `from"` without a space shows minification; the import shows the SDK stayed external.
      expect(bundle).toMatch(/from"@aws-sdk\/[a-z-]+"/);
    }
  }, 60_000);
});
