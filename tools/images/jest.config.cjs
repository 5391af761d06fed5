module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'images',
  rootDir: __dirname,
  // Real etcd and Redis on the host, started once per run (or reused from `npm test`).
  globalSetup: '<rootDir>/../../tools/local-services/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/local-services/src/jest-global-teardown.ts',
  // Containers run one suite at a time: two would compete for the two cores.
  maxWorkers: 1,
};
