module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'local-services',
  rootDir: __dirname,
};
