module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'ecs-sim',
  rootDir: __dirname,
};
