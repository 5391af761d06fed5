module.exports = require('../jest.project.cjs').projectConfig(__dirname, {
  // The dashboard and alert rules are checked against the metrics of the real services.
  realServices: true,
});
