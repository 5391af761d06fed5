import { parseCliOptions } from './cli-options';

describe('command-line options', () => {
  it('defaults to 127.0.0.1:4566 with ECS, the ecs-events queue and no faults', () => {
    const { simulator, help } = parseCliOptions([], {});
    expect(help).toBe(false);
    expect(simulator).toMatchObject({
      host: '127.0.0.1',
      port: 4566,
      region: 'us-east-1',
      accountId: '000000000000',
      queues: [],
      eventQueue: 'ecs-events',
      ecs: {},
    });
  });

  it('reads flags, which win over environment variables', () => {
    const { simulator } = parseCliOptions(
      ['--port', '0', '--queue', 'a', '--queue', 'b', '--seed', '9', '--drop-rate', '0.1', '--ecs-throttle-rps', '20', '--arn-format', 'short'],
      { ECS_SIM_PORT: '1234', ECS_SIM_QUEUES: 'x,y', ECS_SIM_HOST: '0.0.0.0' },
    );
    expect(simulator.port).toBe(0);
    expect(simulator.host).toBe('0.0.0.0');
    expect(simulator.queues).toEqual(['a', 'b']);
    expect(simulator.faults).toMatchObject({ seed: 9, ecs: { throttleRps: 20 }, events: { dropRate: 0.1 } });
    expect(simulator.ecs).toEqual({ seed: 9, defaultArnFormat: 'short' });
  });

  it('reads environment variables, including fault JSON and disabling ECS', () => {
    const { simulator } = parseCliOptions([], {
      ECS_SIM_QUEUES: 'x, y',
      ECS_SIM_EVENT_QUEUE: 'none',
      ECS_SIM_ECS: 'false',
      ECS_SIM_FAULTS: '{"sqs":{"latencyMs":25},"errorRate":0.05}',
    });
    expect(simulator.queues).toEqual(['x', 'y']);
    expect(simulator.eventQueue).toBeNull();
    expect(simulator.ecs).toBe(false);
    expect(simulator.faults).toMatchObject({ sqs: { latencyMs: 25 }, errorRate: 0.05 });
  });

  it('rejects invalid values', () => {
    expect(() => parseCliOptions(['--port', 'abc'], {})).toThrow(/--port/);
    expect(() => parseCliOptions(['--drop-rate', '1.5'], {})).toThrow();
    expect(() => parseCliOptions(['--arn-format', 'medium'], {})).toThrow(/arn-format/);
    expect(() => parseCliOptions(['--bogus'], {})).toThrow();
  });
});

describe('workload options', () => {
  it('generates a workload only when clusters are asked for', () => {
    expect(parseCliOptions([], {}).simulator.workload).toBeUndefined();
    const { simulator } = parseCliOptions(['--clusters', '3', '--tasks-per-cluster', '50', '--rate', '0'], {});
    expect(simulator.workload).toEqual({
      clusters: 3,
      instancesPerCluster: 2,
      tasksPerCluster: 50,
      ratePerSecond: 1,
      start: false,
    });
  });
});
