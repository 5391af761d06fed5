// Container health probe. Slim images have no curl, so node itself asks the service.
// Usage: node healthcheck.cjs <PORT_VARIABLE> <default port> <path>
// The port is read from the named variable so that a task definition overriding the
// service's port does not need a matching health check override.
const http = require('node:http');

const [portVariable, defaultPort, path = '/healthz'] = process.argv.slice(2);
if (!portVariable || !defaultPort) {
  process.stderr.write('usage: node healthcheck.cjs <PORT_VARIABLE> <default port> <path>\n');
  process.exit(2);
}
const fromEnv = process.env[portVariable];
const port = Number(fromEnv === undefined || fromEnv === '' ? defaultPort : fromEnv);

const request = http.get({ host: '127.0.0.1', port, path, timeout: 4000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', (error) => {
  process.stderr.write(`healthcheck: ${error.message}\n`);
  process.exit(1);
});
