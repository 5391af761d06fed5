// @ts-check
/**
 * Runs one service of the local stack on a leash held by the stack:
 *
 *   node tools/local-stack/src/leash.mjs <grace-ms> <command> [args...]
 *
 * started by the stack with an IPC channel. The channel closes when the stack's process
 * ends, however it ends (a SIGKILL included), so the service never depends on the stack
 * living long enough to stop it: the leash then sends the service SIGTERM, and SIGKILL
 * to its whole process group (itself included) if it is still there after <grace-ms>.
 *
 * The leash is started in a process group of its own and the service stays in it, so one
 * group kill takes the leash, the service and the service's own children (etcd and
 * redis-server under their launcher): native programs need nothing of their own.
 *
 * While the stack is there the leash is transparent: SIGTERM and SIGINT are passed on,
 * the service's output goes through unchanged, and the leash ends as the service did
 * (same exit code or same signal). A service that cannot be started at all is reported
 * over the channel, `{ "error": "<reason>" }`, and the leash exits with status 127.
 *
 * Plain JavaScript on purpose: it runs under plain node, without the TypeScript loader
 * each service pays for (about a second of start-up and 40 MB more per process).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { setTimeout } from 'node:timers';

// Output still in the pipes when the service exits is passed on before the leash ends.
const OUTPUT_DRAIN_MS = 500;

const [graceArg, command, ...args] = process.argv.slice(2);
const graceMs = Number(graceArg);
const channel = process.send?.bind(process);
if (!command || !Number.isInteger(graceMs) || graceMs < 0 || !channel) {
  process.stderr.write('usage: node leash.mjs <grace-ms> <command> [args...], started with an IPC channel\n');
  process.exit(2);
}

let holderGone = false;

/** SIGKILL for the leash's whole group: the service, whatever it started, and the leash. */
function killGroup() {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    // Not a group leader (started by hand): the service at least.
    child.kill('SIGKILL');
    process.exit(1);
  }
}

const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });

/** @type {Promise<void>[]} */
const drained = [];
for (const [from, to] of /** @type {const} */ ([[child.stdout, process.stdout], [child.stderr, process.stderr]])) {
  // Once nobody reads the leash's output, the service's output is still read and dropped:
  // a service blocked on a full pipe could not stop.
  let open = true;
  to.on('error', () => {
    open = false;
  });
  from.on('data', (chunk) => {
    if (open) to.write(chunk);
  });
  drained.push(new Promise((resolve) => from.once('close', () => resolve())));
}

const forwarded = /** @type {const} */ (['SIGTERM', 'SIGINT']);
const relay = (/** @type {NodeJS.Signals} */ signal) => child.kill(signal);
for (const signal of forwarded) process.on(signal, relay);

process.on('disconnect', () => {
  holderGone = true;
  child.kill('SIGTERM');
  setTimeout(killGroup, graceMs);
});

child.once('error', (err) => {
  // 'error' without a pid: the program never ran and no 'exit' follows.
  if (child.pid !== undefined) return;
  channel({ error: err.message }, () => process.exit(127));
});

child.once('exit', (code, signal) => {
  // Without the stack, nobody stops what the service left behind.
  if (holderGone) killGroup();
  const timeout = new Promise((resolve) => setTimeout(resolve, OUTPUT_DRAIN_MS));
  void Promise.race([Promise.all(drained), timeout]).then(() => {
    if (signal) {
      for (const s of forwarded) process.removeListener(s, relay);
      process.kill(process.pid, signal);
      // A signal whose default action does not end a process.
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
    process.exit(code ?? 1);
  });
});
