import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'console/dist/', 'console/src/api/schema.d.ts', 'cdk.out/', 'coverage/', '.stryker-tmp/', 'reports/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lambdas/**/*.ts'],
    rules: {
      // The runtime never reaches into the command line; the CLI reads the runtime's contract, not the reverse.
      'no-restricted-imports': ['error', { patterns: ['**/cli/**'] }],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      // The client takes its types from the admin contract, never its schemas: the CLI doesn't load them.
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/admin/contract', '**/admin/contract/*'], allowTypeImports: true }] }],
    },
  },
  {
    files: ['lambdas/domain/**/*.ts'],
    rules: {
      // The domain is pure: no AWS SDK, no middy, no adapters, no environment.
      'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*', '@middy/*', '@aws-lambda-powertools/*', '**/adapters/**', '**/handlers/**', '**/cli/**'] }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env' }],
    },
  },
  {
    files: ['lib/**/*.ts', 'bin/app.ts'],
    rules: {
      // Infrastructure refers to runtime code by path only.
      'no-restricted-imports': ['error', { patterns: ['**/lambdas/**'] }],
    },
  },
  {
    files: ['lib/graph-api-versions.ts', 'lib/access-levels.ts', 'lib/iam-wildcards.ts'],
    rules: {
      // Shared by synth and the Lambdas (the domain re-exports the versions, the admin contract reads the levels): pure data, so they import nothing
      // but the IAM wildcard matching the levels' denials are worked out with.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./iam-wildcards$)' }] }],
    },
  },
);
