module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'test-services',
  rootDir: __dirname,
};
