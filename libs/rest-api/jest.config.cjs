const { transform } = require('../../jest.preset.cjs');

module.exports = require('../../jest.project.cjs').projectConfig(__dirname, {
  realServices: true,
  // @fastify/swagger-ui (content-disposition) and inject (cookie) load packages published as ES modules only;
  // Node loads it natively, Jest's CommonJS runtime needs it compiled.
  transform: {
    ...transform,
    '/node_modules/(content-disposition|cookie)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
});
