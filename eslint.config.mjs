import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Modules that perform I/O. libs/domain must stay pure, so it may import none of them.
const ioModules = [
  'etcd3', 'ioredis', 'bullmq', 'fastify', '@fastify/*', 'winston', 'prom-client', '@aws-sdk/*',
  'fs', 'fs/*', 'node:fs', 'node:fs/*', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https',
  'http2', 'node:http2', 'child_process', 'node:child_process', 'dgram', 'node:dgram', 'dns', 'node:dns',
  'tls', 'node:tls', 'worker_threads', 'node:worker_threads', 'cluster', 'node:cluster',
];

// The libraries' four layers, bottom first: 1 model and runtime (domain, service-runtime), 2 store
// and job queue (etcd-store, reconcile-jobs), 3 service logic (ingestion, reconciliation,
// state-view), 4 the REST surface (rest-api, dashboard). A lib imports only libs of lower layers,
// so nothing below ever reaches up into what is built on it.
const LAYERS = ['layer:1', 'layer:2', 'layer:3', 'layer:4'];
const layerConstraints = (extra) =>
  LAYERS.map((layer, i) => ({ sourceTag: layer, onlyDependOnLibsWithTags: [...LAYERS.slice(0, i), ...extra] }));

const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: ['scope:domain'], bannedExternalImports: ioModules },
  ...layerConstraints([]),
];

// Tests of libs and apps may use the dev tooling (local etcd/Redis, the simulator); shipped code may not.
const testDepConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  ...layerConstraints(['type:tool']),
];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '.nx', 'tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: testDepConstraints }],
    },
  },
  {
    // libs/etcd-store is the only code that talks to etcd; others may pass its client around by type.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    ignores: ['libs/etcd-store/**', '**/test/**', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'etcd3',
              allowTypeImports: true,
              message: 'Only libs/etcd-store talks to etcd: use its store operations (type-only imports of the client are fine).',
            },
          ],
          patterns: [{ group: ['etcd3/*'], allowTypeImports: true, message: 'Only libs/etcd-store talks to etcd.' }],
        },
      ],
    },
  },
  {
    // The module-boundary rule only sees npm packages; Node's built-ins need their own guard.
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['libs/domain/src/**/*.spec.ts', 'libs/domain/src/test-fixtures/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', ...ioModules], message: 'libs/domain is pure code: no I/O.' }] }],
    },
  },
  {
    // Command-line tools and scripts talk to a terminal.
    files: ['tools/**/*.ts', 'tools/**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
];
