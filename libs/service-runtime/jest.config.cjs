module.exports = require('../../jest.project.cjs').projectConfig(__dirname);
