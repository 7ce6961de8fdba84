import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', '.stryker-tmp/', 'reports/', '**/*.js', '**/*.mjs'] },
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
    files: ['lambdas/domain/**/*.ts'],
    rules: {
      // The domain is pure: no AWS SDK, no middy, no adapters, no environment.
      'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*', '@middy/*', '@aws-lambda-powertools/*', '**/adapters/**', '**/handlers/**'] }],
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
    files: ['lib/graph-api-versions.ts'],
    rules: {
      // Shared by synth and the Lambdas (the domain re-exports it): pure data, so it imports nothing.
      'no-restricted-imports': ['error', { patterns: ['*'] }],
    },
  },
);
