import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_PALETTE, type Painter } from './ansi';
import { banner } from './banner';
import { ChildService, describeExit } from './child-service';
import { resolvePort } from './ports';
import { addDeadLetterQueue } from './simulator-queue';
import { appSpecs, backingServiceSpec, probeHost, serviceEnv, SIMULATOR_QUEUE, simulatorSpec, type ServiceSpec, type Wiring } from './service-plan';
import { prefix, serviceOutput, type Terminal } from './service-output';
import type { PortRequest, StackConfig } from './stack-config';

export interface StackOptions {
  config: StackConfig;
  /** The environment the services inherit. */
  env: NodeJS.ProcessEnv;
  /** Directory holding nx.json; entry points are relative to it. */
  workspaceRoot: string;
  terminal: Terminal;
  paint: Painter;
}

const OWN_NAME = 'local-stack';
const NAME_WIDTH = Math.max(OWN_NAME.length, 'reconciler'.length);

/**
 * Starts etcd, Redis, the simulator and the three services in dependency order,
 * each as a child process, and stops them in reverse order on request or as soon
 * as one of them exits on its own.
 */
export class LocalStack {
  private readonly services: ChildService[] = [];
  private readonly skipped: string[] = [];
  private readonly portsTaken = new Set<number>();
  private stopping: Promise<number> | undefined;
  private failed = false;
  private colorIndex = 0;
  private resolveDone: (code: number) => void = () => undefined;
  private readonly done = new Promise<number>((resolve) => {
    this.resolveDone = resolve;
  });

  constructor(private readonly options: StackOptions) {}

  /** Runs until stopped; resolves with the exit code for the process. */
  async run(): Promise<number> {
    try {
      const text = await this.startAll();
      if (!this.stopping) this.options.terminal.stdout.write(`${text}\n`);
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
    }
    return this.finished();
  }

  /** SIGINT/SIGTERM: stop everything; the exit code is 0 unless something had failed. */
  requestStop(reason: string): void {
    if (this.stopping) return;
    this.log(`${reason}: stopping`);
    void this.stopAll(0);
  }

  /** SIGKILL every service at once, for a second Ctrl-C. */
  killAll(): void {
    for (const service of this.services) service.killNow();
  }

  /** Process ids of the running services, in start order. */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.services.map((s) => [s.name, s.pid]));
  }

  private finished(): Promise<number> {
    return this.done;
  }

  private fail(message: string): void {
    if (this.stopping) return;
    this.failed = true;
    this.log(message, 'error');
    void this.stopAll(1);
  }

  private stopAll(code: number): Promise<number> {
    this.stopping ??= (async () => {
      for (const service of [...this.services].reverse()) {
        if (!service.running) continue;
        const result = await service.stop(this.options.config.stopTimeoutMs);
        if (result.killed) this.log(`${service.name} ignored SIGTERM for ${this.options.config.stopTimeoutMs} ms and was killed`, 'warn');
        else this.log(`stopped ${service.name} (${describeExit(result)})`);
      }
      this.log('all services stopped');
      const exitCode = this.failed ? 1 : code;
      this.resolveDone(exitCode);
      return exitCode;
    })();
    return this.stopping;
  }

  private log(message: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    const { paint, terminal } = this.options;
    const head = prefix(OWN_NAME, 'bold', { paint, width: NAME_WIDTH });
    const text = level === 'info' ? message : paint(level === 'error' ? 'red' : 'yellow', message);
    (level === 'error' ? terminal.stderr : terminal.stdout).write(`${head} ${text}\n`);
  }

  private async startAll(): Promise<string> {
    const { config } = this.options;
    const appPortRequests: [string, PortRequest][] = [
      ['API_PORT', config.apiPort],
      ['INGESTOR_METRICS_PORT', config.ingestorMetricsPort],
      ['RECONCILER_METRICS_PORT', config.reconcilerMetricsPort],
    ];
    // A requested port that is taken stops the start before anything runs.
    for (const [name, request] of appPortRequests) if (request.explicit) await resolvePort(name, request);
    const [simulatorPort = 0] = config.mode.kind === 'simulator' ? await this.choosePorts([['SIM_PORT', config.mode.port]]) : [];

    // The simulator needs neither etcd nor Redis: the three start together.
    const mode = config.mode;
    const [etcdEndpoints, redisUrl, simulatorUrl] = await Promise.all([
      config.etcdEndpoints ?? this.launchReady(backingServiceSpec('etcd')).then(urlOfReadyLine),
      config.redisUrl ?? this.launchReady(backingServiceSpec('redis')).then(urlOfReadyLine),
      mode.kind === 'simulator'
        ? this.launchReady(simulatorSpec(mode, simulatorPort)).then(async () => {
            const url = `http://127.0.0.1:${simulatorPort}`;
            if (mode.eventSource === 'sqs') await addDeadLetterQueue(url, mode.region, SIMULATOR_QUEUE);
            return url;
          })
        : undefined,
    ]);
    if (mode.kind === 'aws') {
      this.log(`real AWS mode: no simulator; events from ${JSON.stringify(mode.queue)} in ${mode.region}`);
    }

    const [apiPort = 0, ingestorMetricsPort = 0, reconcilerMetricsPort = 0] = await this.choosePorts(appPortRequests);
    const demoToken = config.apiTokens ? undefined : `demo-${randomBytes(16).toString('hex')}`;
    const wiring: Wiring = {
      etcdEndpoints,
      redisUrl,
      simulatorUrl,
      apiPort,
      ingestorMetricsPort,
      reconcilerMetricsPort,
      apiTokens: config.apiTokens ?? (demoToken ? [demoToken] : []),
    };
    await Promise.all(appSpecs(config, wiring).map((spec) => this.launchReady(spec)));

    return banner(
      {
        apiUrl: `http://${probeHost(config.apiHost)}:${apiPort}`,
        demoToken,
        mode: config.mode.kind === 'simulator' ? 'simulated ECS' : `real AWS, ${config.mode.region}`,
        etcdEndpoints,
        redisUrl,
        simulatorUrl,
        skipped: this.skipped,
      },
      this.options.paint,
    );
  }

  /**
   * Ports in `requests` order. A requested port that is taken fails here; a free port is
   * one nobody listens on now, so it is picked right before the service that binds it
   * starts: picked long before, it may be taken meanwhile (a parallel stack's etcd).
   */
  private async choosePorts(requests: [name: string, request: PortRequest][]): Promise<number[]> {
    const ports: number[] = [];
    for (const [name, requested] of requests) {
      let request = requested;
      for (;;) {
        const port = await resolvePort(name, request);
        if (!this.portsTaken.has(port)) {
          this.portsTaken.add(port);
          ports.push(port);
          break;
        }
        request = { port: 0, explicit: false };
      }
    }
    return ports;
  }

  /** Starts one service, watches for its unexpected exit, and waits until it is ready. */
  private async launchReady(spec: ServiceSpec): Promise<string | undefined> {
    const { workspaceRoot, config, terminal, paint, env } = this.options;
    if (this.stopping) throw new Error('stopping');
    if (!existsSync(join(workspaceRoot, spec.entry))) {
      if (!spec.optional) throw new Error(`${spec.name}: ${spec.entry} does not exist`);
      this.skipped.push(`${spec.name} (${spec.entry} does not exist)`);
      this.log(`${spec.entry} does not exist; running without the ${spec.name}`, 'warn');
      return undefined;
    }
    const color = SERVICE_PALETTE[this.colorIndex++ % SERVICE_PALETTE.length] ?? 'cyan';
    const service = new ChildService({
      name: spec.name,
      command: process.execPath,
      args: ['--import', 'tsx', spec.entry, ...spec.args],
      cwd: workspaceRoot,
      env: serviceEnv(env, spec),
      readiness: spec.readiness,
      stopTimeoutMs: config.stopTimeoutMs,
      onLine: serviceOutput(spec.name, color, { terminal, paint, raw: config.rawLogs, width: NAME_WIDTH }),
    });
    service.start();
    this.services.push(service);
    this.log(`started ${spec.name} (pid ${service.pid})`);
    void service.exited.then((exit) => {
      if (!service.stopping) this.fail(`${spec.name} exited unexpectedly (${describeExit(exit)}); stopping everything`);
    });
    const line = await service.waitUntilReady(config.readyTimeoutMs);
    this.log(`${spec.name} is ready`);
    return line;
  }
}

function urlOfReadyLine(line: string | undefined): string {
  const url = line?.split(' ')[1];
  if (!url) throw new Error(`unexpected readiness line: ${line}`);
  return url;
}
