// Lint rules that hold the house together: typed TypeScript rules, Nx module boundaries by tag, and a
// deterministic sandbox for workflow code (Temporal replays it, so it may not touch I/O or Node APIs).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.cache/**',
      '.data/**',
      '.nx/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'benchmarks/**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx, 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'no-console': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // The integration suites host the real router and worker modules in-process (test/src/harness).
          allow: ['@mlsecops/event-router', '@mlsecops/worker'],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:activities',
                'type:engine',
                'type:contracts',
                'type:platform',
                'type:workflow',
              ],
            },
            { sourceTag: 'type:workflow', onlyDependOnLibsWithTags: ['type:contracts'] },
            {
              sourceTag: 'type:activities',
              onlyDependOnLibsWithTags: ['type:engine', 'type:contracts', 'type:platform'],
            },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
            { sourceTag: 'type:engine', onlyDependOnLibsWithTags: ['type:engine', 'type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    // Engines are pure domain code: no framework, broker or orchestrator.
    files: [
      'libs/artifact-store/**/*.ts',
      'libs/data-checks/**/*.ts',
      'libs/model-scanner/**/*.ts',
      'libs/model-signing/**/*.ts',
      'libs/contracts/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'kafkajs', '@temporalio/*'],
              message: 'Engines and contracts stay free of Nest, Kafka and Temporal.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox and is replayed from history.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflows are deterministic: no Node built-ins (use activities).',
          })),
          patterns: [
            {
              group: ['@nestjs/*', 'kafkajs', '@opentelemetry/sdk-*'],
              message: 'Workflows import only contracts, pure code and @temporalio/workflow.',
            },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'],
              message: 'Only @temporalio/workflow belongs in workflow code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'benchmarks/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      'no-restricted-imports': 'off',
    },
  },
);
