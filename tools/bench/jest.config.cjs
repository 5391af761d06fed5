module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'bench',
  rootDir: __dirname,
  // Real etcd and Redis, started once per run (or reused from `npm test`).
  globalSetup: '<rootDir>/../../tools/local-services/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/local-services/src/jest-global-teardown.ts',
};
