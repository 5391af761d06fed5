module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'deploy',
  rootDir: __dirname,
  // The dashboard and alert rules are checked against the metrics of the real services.
  globalSetup: '<rootDir>/../tools/local-services/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../tools/local-services/src/jest-global-teardown.ts',
};
