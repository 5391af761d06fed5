module.exports = require('../../jest.project.cjs').projectConfig(__dirname, {
  // Each scenario runs a three-member etcd and several services: one at a time, or
  // they starve each other (and the other projects' suites) on a 2-core machine.
  maxWorkers: 1,
});
