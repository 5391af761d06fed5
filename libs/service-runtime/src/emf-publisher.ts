import type { Reading } from './registry-readings';

/** A CloudWatch metric published from a reading. */
export interface EmfMetric {
  readonly name: string;
  readonly unit: 'Count' | 'Seconds' | 'None';
  readonly read: Reading;
}

export interface EmfPublisherOptions {
  /** CloudWatch namespace of the metrics. */
  readonly namespace: string;
  /** Value of the `Service` dimension, and of the line's `service` field as in every log line. */
  readonly service: string;
  readonly metrics: readonly EmfMetric[];
  readonly intervalMs: number;
  /** Where each line goes; stdout by default, which awslogs sends to CloudWatch Logs. */
  readonly write?: (line: string) => void;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

export interface EmfPublisher {
  /** Writes one line with the current readings now. */
  publish(): Promise<void>;
  /** Stops the timer after a last line, so that what was counted since the previous one is not lost. */
  stop(): Promise<void>;
}

/**
 * Writes CloudWatch embedded metric format lines: CloudWatch Logs turns each into metric
 * data points, with no agent and no cloudwatch:PutMetricData permission. The lines are
 * written directly rather than through the logger, so that LOG_LEVEL cannot silence them
 * (an alarm would then see missing data).
 */
export function startEmfPublisher(options: EmfPublisherOptions): EmfPublisher {
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  let chain: Promise<void> = Promise.resolve();
  const publishOnce = async (): Promise<void> => {
    const values: Record<string, number> = {};
    const published: Array<{ Name: string; Unit: string }> = [];
    for (const metric of options.metrics) {
      const value = await metric.read();
      if (value === undefined || !Number.isFinite(value)) continue;
      values[metric.name] = value;
      published.push({ Name: metric.name, Unit: metric.unit });
    }
    if (published.length === 0) return;
    const timestamp = now();
    write(
      JSON.stringify({
        _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: options.namespace, Dimensions: [['Service']], Metrics: published }] },
        Service: options.service,
        service: options.service,
        level: 'info',
        message: 'cloudwatch metrics',
        timestamp: new Date(timestamp).toISOString(),
        ...values,
      }),
    );
  };
  // Readings of counters are differences from the previous one: never two at once.
  const publish = (): Promise<void> => {
    chain = chain.then(publishOnce).catch((error: unknown) => options.onError?.(error));
    return chain;
  };
  const timer = setInterval(() => void publish(), options.intervalMs);
  timer.unref();
  return {
    publish,
    async stop() {
      clearInterval(timer);
      await publish();
    },
  };
}
