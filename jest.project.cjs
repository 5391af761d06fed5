// A project's Jest config is the shared preset rooted at the project's folder; this keeps
// each jest.config.cjs down to what sets the project apart.
const path = require('node:path');
const preset = require('./jest.preset.cjs');

const localServices = path.join(__dirname, 'tools/local-services/src');

/**
 * @param {string} dirname the project's folder (`__dirname` of its jest.config.cjs); its name is the display name
 * @param {{ realServices?: boolean } & import('jest').Config} [options] `realServices`: one real etcd and
 *   Redis per run (or the ones `npm test` already started), handed to tests by tools/local-services;
 *   any other key overrides the preset
 * @returns {import('jest').Config}
 */
function projectConfig(dirname, { realServices = false, ...overrides } = {}) {
  return {
    ...preset,
    displayName: path.basename(dirname),
    rootDir: dirname,
    ...(realServices && {
      globalSetup: path.join(localServices, 'jest-global-setup.ts'),
      globalTeardown: path.join(localServices, 'jest-global-teardown.ts'),
    }),
    ...overrides,
  };
}

module.exports = { projectConfig };
