const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'rest-api',
  rootDir: __dirname,
  // @fastify/swagger-ui (content-disposition) and inject (cookie) load packages published as ES modules only;
  // Node loads it natively, Jest's CommonJS runtime needs it compiled.
  transform: {
    ...preset.transform,
    '/node_modules/(content-disposition|cookie)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
  // Real etcd and Redis, started once per run (or reused from `npm test`).
  globalSetup: '<rootDir>/../../tools/local-services/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/local-services/src/jest-global-teardown.ts',
};
