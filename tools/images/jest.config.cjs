module.exports = require('../../jest.project.cjs').projectConfig(__dirname, {
  // Real etcd and Redis on the host.
  realServices: true,
  // Containers run one suite at a time: two would compete for the two cores.
  maxWorkers: 1,
});
