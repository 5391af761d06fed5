import { ServiceProcess } from './service-process';

export interface IngestorProcessOptions {
  simulatorEndpoint: string;
  etcdEndpoints: string;
  etcdPrefix: string;
  queueName: string;
  env?: Record<string, string>;
}

/** The real ingestor, reading the simulator's queue, with short polls and visibility for tests. */
export class IngestorProcess extends ServiceProcess {
  opsPort = 0;

  constructor(o: IngestorProcessOptions) {
    super({
      main: 'apps/ingestor/src/main.ts',
      readyMessage: 'ingesting',
      env: {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL: o.simulatorEndpoint,
        ETCD_ENDPOINTS: o.etcdEndpoints,
        ETCD_PREFIX: o.etcdPrefix,
        QUEUE_NAME: o.queueName,
        METRICS_PORT: '0',
        INGEST_WAIT_SECONDS: '1',
        INGEST_VISIBILITY_TIMEOUT: '5',
        LOG_LEVEL: 'debug',
        ...o.env,
      },
    });
  }

  override async start(): Promise<Record<string, unknown>> {
    const ready = await super.start();
    this.opsPort = Number(ready.opsPort);
    return ready;
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.opsPort}/metrics`)).text();
  }

  /** The value of the first sample of `name` whose labels contain `labels`; 0 when absent. */
  async metric(name: string, labels = ''): Promise<number> {
    const text = await this.metrics();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }
}
