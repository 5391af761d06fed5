import { execForm, finalStage, only, readDockerfile, stageEnv } from './support/dockerfile';
import { evaluate, readTemplate, resource, resourcesOfType, type Resource, type Template } from './support/cloudformation';
import { readRepoFile } from './support/repo';
import { CONTRACTS, loadRecorded, unreadVariables, type ServiceName } from './support/service-contracts';

const template = readTemplate();

const PARAMETERS: Record<string, string> = {
  IngestorImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ingestor:1',
  ApiImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1',
  ReconcilerImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/reconciler:1',
  EtcdEndpoints: 'http://10.0.1.10:2379,http://10.0.2.10:2379',
  RedisEndpoint: 'master.ecs-state.abc123.use1.cache.amazonaws.com:6379',
  ApiTokensSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api-tokens-AbCdEf',
  MetricsScrapeCidr: '10.0.0.0/16',
};
// What CloudFormation substitutes for resources the environment refers to.
const REFS = {
  EventQueue: 'https://sqs.us-east-1.amazonaws.com/123456789012/ecs-state-ecs-events',
  DeadLetterQueue: 'https://sqs.us-east-1.amazonaws.com/123456789012/ecs-state-ecs-events-dlq',
};
const KINESIS: Record<string, string> = { ...PARAMETERS, EventSource: 'kinesis' };

/** Whether CloudFormation creates a resource (or output) with these parameters. */
function created(item: { Condition?: string }, parameters: Record<string, string>): boolean {
  return item.Condition === undefined || evaluate(template, { Condition: item.Condition }, parameters) === true;
}

interface Container {
  Name: string;
  Image: unknown;
  EntryPoint?: string[];
  Environment?: Array<{ Name: string; Value: unknown }>;
  Secrets?: Array<{ Name: string; ValueFrom: unknown }>;
  HealthCheck?: { Command: string[] };
  StopTimeout?: number;
  LogConfiguration?: { LogDriver: string; Options: Record<string, unknown> };
}

function props(item: Resource): Record<string, unknown> {
  return item.Properties ?? {};
}

function container(taskDefinitionId: string): Container {
  const definitions = props(resource(template, taskDefinitionId))['ContainerDefinitions'] as Container[];
  expect(definitions).toHaveLength(1);
  return definitions[0] as Container;
}

function statements(roleId: string, parameters: Record<string, string> = PARAMETERS): Array<{ Action: string | string[]; Resource: unknown }> {
  const policies = evaluate(template, props(resource(template, roleId))['Policies'] ?? [], parameters, REFS) as Array<{
    PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> };
  }>;
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

function actions(roleId: string, parameters?: Record<string, string>): string[] {
  return statements(roleId, parameters).flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]));
}

const APPS: Array<{ service: Exclude<ServiceName, 'ecs-sim'>; prefix: string; shutdownVariable: string }> = [
  { service: 'ingestor', prefix: 'Ingestor', shutdownVariable: 'SHUTDOWN_TIMEOUT_MS' },
  { service: 'api', prefix: 'Api', shutdownVariable: 'SHUTDOWN_TIMEOUT_MS' },
  { service: 'reconciler', prefix: 'Reconciler', shutdownVariable: 'SHUTDOWN_TIMEOUT_MS' },
];

describe('the event queue', () => {
  it('has a dead-letter queue through its redrive policy', () => {
    const queue = props(resource(template, 'EventQueue'));
    expect(resource(template, 'DeadLetterQueue').Type).toBe('AWS::SQS::Queue');
    expect(queue['RedrivePolicy']).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] }, maxReceiveCount: { Ref: 'QueueMaxReceiveCount' } });
    expect(queue['ReceiveMessageWaitTimeSeconds']).toBe(20);
  });

  it('is fed by an EventBridge rule for ECS task and container-instance state changes', () => {
    const rule = props(resource(template, 'EcsEventRule'));
    expect(rule['EventPattern']).toEqual({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change', 'ECS Container Instance State Change'] });
    const targets = evaluate(template, rule['Targets'], PARAMETERS, REFS) as Array<{ Arn: unknown }>;
    expect(targets.map((target) => target.Arn)).toEqual(['<EventQueue.Arn>']);
  });

  it('lets only that rule send to it', () => {
    const policy = props(resource(template, 'EventQueuePolicy'));
    expect(policy['Queues']).toEqual([{ Ref: 'EventQueue' }]);
    const statement = (policy['PolicyDocument'] as { Statement: unknown[] }).Statement;
    expect(statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': ['EventQueue', 'Arn'] },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['EcsEventRule', 'Arn'] } } },
      }),
    ]);
  });
});

describe('the Kinesis event source (EventSource kinesis)', () => {
  const resources = (parameters: Record<string, string>): string[] =>
    Object.entries(template.Resources)
      .filter(([, item]) => created(item, parameters))
      .map(([id]) => id);

  it('creates a stream instead of the event queue, its policy and the backlog scaling and age alarm of the queue', () => {
    expect(template.Parameters['EventSource']).toMatchObject({ Default: 'sqs', AllowedValues: ['sqs', 'kinesis'] });
    const sqs = resources(PARAMETERS);
    const kinesis = resources(KINESIS);
    expect(sqs).toEqual(expect.arrayContaining(['EventQueue', 'EventQueuePolicy', 'IngestorBacklogScaling', 'EventQueueAgeAlarm', 'DeadLetterQueue']));
    expect(sqs).not.toEqual(expect.arrayContaining(['EventStream']));
    expect(sqs.filter((id) => !kinesis.includes(id)).sort()).toEqual(['EventQueue', 'EventQueueAgeAlarm', 'EventQueuePolicy', 'IngestorBacklogScaling']);
    expect(kinesis.filter((id) => !sqs.includes(id)).sort()).toEqual(['EventStream', 'EventStreamDeliveryRole', 'EventStreamIteratorAgeAlarm']);
    const stream = props(resource(template, 'EventStream'));
    expect(evaluate(template, stream, KINESIS, REFS)).toMatchObject({ ShardCount: '2', RetentionPeriodHours: '96', StreamEncryption: { EncryptionType: 'KMS' } });
    const outputs = Object.entries(template.Outputs as Record<string, { Condition?: string }>);
    expect(outputs.filter(([, o]) => created(o, KINESIS)).map(([id]) => id)).toContain('EventStreamArn');
    expect(outputs.filter(([, o]) => created(o, KINESIS)).map(([id]) => id)).not.toContain('EventQueueUrl');
  });

  it('points the EventBridge rule at the stream through a role that may only put records into it', () => {
    const targets = evaluate(template, props(resource(template, 'EcsEventRule'))['Targets'], KINESIS, REFS) as Array<Record<string, unknown>>;
    expect(targets).toEqual([
      expect.objectContaining({
        Arn: '<EventStream.Arn>',
        RoleArn: '<EventStreamDeliveryRole.Arn>',
        KinesisParameters: { PartitionKeyPath: '$.id' },
        DeadLetterConfig: { Arn: '<EventDeliveryDeadLetterQueue.Arn>' },
      }),
    ]);
    expect(statements('EventStreamDeliveryRole', KINESIS)).toEqual([{ Effect: 'Allow', Action: 'kinesis:PutRecord', Resource: '<EventStream.Arn>' }]);
    const trust = props(resource(template, 'EventStreamDeliveryRole'))['AssumeRolePolicyDocument'] as { Statement: Array<{ Principal: unknown }> };
    expect(trust.Statement.map((t) => t.Principal)).toEqual([{ Service: 'events.amazonaws.com' }]);
  });

  it('lets the ingestor make exactly the Kinesis calls of its source, and copy rejected records to the dead-letter queue', () => {
    expect(actions('IngestorTaskRole', KINESIS).sort()).toEqual([
      'kinesis:DescribeStreamSummary',
      'kinesis:GetRecords',
      'kinesis:GetShardIterator',
      'kinesis:ListShards',
      'sqs:SendMessage',
    ]);
    const byAction = Object.fromEntries(statements('IngestorTaskRole', KINESIS).map((s) => [JSON.stringify(s.Action), s.Resource]));
    expect(byAction[JSON.stringify('sqs:SendMessage')]).toBe('<DeadLetterQueue.Arn>');
    expect(Object.values(byAction).filter((r) => r === '<EventStream.Arn>')).toHaveLength(1);
  });

  it('tells the ingestor to read the stream, with the dead-letter queue as its poison queue', () => {
    const environment = evaluate(template, container('IngestorTaskDefinition').Environment ?? [], KINESIS, REFS) as Array<{ Name: string; Value: string }>;
    const env = Object.fromEntries(environment.map((e) => [e.Name, e.Value]));
    expect(env).toMatchObject({ EVENT_SOURCE: 'kinesis', KINESIS_STREAM_ARN: '<EventStream.Arn>', KINESIS_POISON_QUEUE_URL: REFS.DeadLetterQueue });
    expect(env['QUEUE_URL']).toBeUndefined();
    const sqsEnv = Object.fromEntries((evaluate(template, container('IngestorTaskDefinition').Environment ?? [], PARAMETERS, REFS) as Array<{ Name: string; Value: string }>).map((e) => [e.Name, e.Value]));
    expect(sqsEnv).toMatchObject({ EVENT_SOURCE: 'sqs', QUEUE_URL: REFS.EventQueue });
    expect(sqsEnv['KINESIS_STREAM_ARN']).toBeUndefined();
  });

  it("sets only variables the ingestor reads, in a configuration it accepts", async () => {
    const definition = container('IngestorTaskDefinition');
    const environment = evaluate(template, definition.Environment ?? [], KINESIS, REFS) as Array<{ Name: string; Value: string }>;
    const env: Record<string, string> = { ...stageEnv(finalStage(readDockerfile('deploy/docker/ingestor.Dockerfile'))), ...Object.fromEntries(environment.map((e) => [e.Name, e.Value])) };
    // What CloudFormation puts for the stream's ARN.
    env['KINESIS_STREAM_ARN'] = 'arn:aws:kinesis:us-east-1:123456789012:stream/ecs-state-ecs-events';
    for (const secret of evaluate(template, definition.Secrets ?? [], KINESIS, REFS) as Array<{ Name: string }>) env[secret.Name] = 'secret-value';
    const { understood } = await loadRecorded(CONTRACTS.ingestor, env);
    expect(unreadVariables(Object.keys(env), understood)).toEqual([]);
  });

  it('starts the ingestor after its source, and alarms on the iterator age of the stream as on the age of the queue', () => {
    expect(resource(template, 'IngestorService').DependsOn).toBe('EventSourceReady');
    expect(evaluate(template, resource(template, 'EventSourceReady').Metadata, KINESIS, REFS)).toEqual({ Source: '<EventStream>' });
    expect(evaluate(template, resource(template, 'EventSourceReady').Metadata, PARAMETERS, REFS)).toEqual({ Source: '<EventQueuePolicy>' });
    expect(evaluate(template, props(resource(template, 'EventStreamIteratorAgeAlarm')), KINESIS, REFS)).toMatchObject({
      Namespace: 'AWS/Kinesis',
      MetricName: 'GetRecords.IteratorAgeMilliseconds',
      Dimensions: [{ Name: 'StreamName', Value: '<EventStream>' }],
      Threshold: '300000',
    });
  });
});

describe('parameters', () => {
  it('take the stores, images, network and api tokens from the caller', () => {
    expect(Object.keys(template.Parameters)).toEqual(
      expect.arrayContaining(['EtcdEndpoints', 'RedisEndpoint', 'IngestorImage', 'ApiImage', 'ReconcilerImage', 'VpcId', 'SubnetIds', 'ServiceSecurityGroupIds', 'ApiTokensSecretArn']),
    );
  });

  it('accept the etcd endpoint lists the services accept', () => {
    const pattern = new RegExp(String(template.Parameters['EtcdEndpoints']?.['AllowedPattern']));
    expect(pattern.test(PARAMETERS['EtcdEndpoints'] ?? '')).toBe(true);
    expect(pattern.test('10.0.1.10:2379')).toBe(false);
  });
});

describe('IAM', () => {
  const roles = resourcesOfType(template, 'AWS::IAM::Role').map(([id]) => id);

  it('grants no wildcard actions', () => {
    for (const role of roles) {
      for (const action of actions(role)) expect(action).not.toContain('*');
    }
  });

  it('lets the ingestor consume the event queue and nothing else', () => {
    expect(actions('IngestorTaskRole').sort()).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage']);
    for (const statement of statements('IngestorTaskRole')) expect(statement.Resource).toBe('<EventQueue.Arn>');
  });

  it('lets the reconciler read ECS only, and assume no role unless given target roles', () => {
    const granted = actions('ReconcilerTaskRole');
    expect(granted.length).toBeGreaterThan(0);
    for (const action of granted) expect(action).toMatch(/^ecs:(List|Describe)[A-Za-z]+$/);
  });

  it('grants the reconciler exactly the ECS operations its code sends', () => {
    // Every ECS call of a reconcile goes through CountedEcs: a command it sends without a grant
    // fails with AccessDenied in AWS only, and a grant no command uses is more than it needs.
    const sent = [...readRepoFile('libs/reconciliation/src/counted-ecs.ts').matchAll(/new ([A-Za-z]+)Command\(/g)].map((m) => `ecs:${m[1]}`);
    expect(sent).toContain('ecs:DescribeServices');
    const granted = actions('ReconcilerTaskRole').filter((action) => action.startsWith('ecs:'));
    expect([...new Set(granted)].sort()).toEqual([...new Set(sent)].sort());
  });

  it('lets the reconciler assume exactly the target roles it is given', () => {
    const roles = 'arn:aws:iam::444455556666:role/ecs-state-reader,arn:aws:iam::777788889999:role/ecs-state-reader';
    const assumed = statements('ReconcilerTaskRole', { ...PARAMETERS, ReconcileTargetRoleArns: roles }).filter((s) => s.Action === 'sts:AssumeRole');
    expect(assumed).toEqual([expect.objectContaining({ Resource: roles.split(',') })]);
  });

  it('grants the api nothing', () => {
    const role = props(resource(template, 'ApiTaskRole'));
    expect(role['Policies']).toBeUndefined();
    expect(role['ManagedPolicyArns']).toBeUndefined();
  });

  it('lets ECS read the api tokens secret and no other', () => {
    expect(statements('ExecutionRole')).toEqual([{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [PARAMETERS['ApiTokensSecretArn']] }]);
  });
});

describe.each(APPS)('the $service service', ({ service, prefix, shutdownVariable }) => {
  const taskDefinitionId = `${prefix}TaskDefinition`;
  const taskDefinition = props(resource(template, taskDefinitionId));
  const definition = container(taskDefinitionId);
  const image = finalStage(readDockerfile(`deploy/docker/${service}.Dockerfile`));

  it('runs on Fargate with its own task definition and task role', () => {
    const ecsService = props(resource(template, `${prefix}Service`));
    expect(ecsService['LaunchType']).toBe('FARGATE');
    expect(ecsService['TaskDefinition']).toEqual({ Ref: taskDefinitionId });
    expect(taskDefinition['RequiresCompatibilities']).toEqual(['FARGATE']);
    expect(taskDefinition['TaskRoleArn']).toEqual({ 'Fn::GetAtt': [`${prefix}TaskRole`, 'Arn'] });
    expect(taskDefinition['ExecutionRoleArn']).toEqual({ 'Fn::GetAtt': ['ExecutionRole', 'Arn'] });
    expect(definition.Image).toEqual({ Ref: `${prefix}Image` });
  });

  it('logs to its own log group', () => {
    expect(definition.LogConfiguration?.LogDriver).toBe('awslogs');
    expect(definition.LogConfiguration?.Options['awslogs-group']).toEqual({ Ref: `${prefix}LogGroup` });
    expect(resource(template, `${prefix}LogGroup`).Type).toBe('AWS::Logs::LogGroup');
  });

  it("checks health with the image's own probe", () => {
    const probe = execForm((only(image, 'HEALTHCHECK')[0]?.args ?? '').replace(/^.*?\bCMD\s+/, ''));
    expect(definition.HealthCheck?.Command).toEqual(['CMD', ...(probe ?? [])]);
  });

  it('loads its configuration from the task environment, and reads every variable the template sets', async () => {
    const environment = evaluate(template, definition.Environment ?? [], PARAMETERS, REFS) as Array<{ Name: string; Value: string }>;
    const env: Record<string, string> = { ...stageEnv(image), ...Object.fromEntries(environment.map((entry) => [entry.Name, entry.Value])) };
    const secrets = evaluate(template, definition.Secrets ?? [], PARAMETERS, REFS) as Array<{ Name: string }>;
    for (const secret of secrets) env[secret.Name] = 'secret-value';
    const { loaded, understood } = await loadRecorded(CONTRACTS[service], env);
    expect(unreadVariables(Object.keys(env), understood)).toEqual([]);
    const ports = (props(resource(template, taskDefinitionId))['ContainerDefinitions'] as Array<{ PortMappings: Array<{ ContainerPort: number }> }>)[0]?.PortMappings.map((mapping) => mapping.ContainerPort);
    // The health port, and the api's metrics port beside its HTTP port.
    expect(ports).toEqual(loaded.metricsPort === undefined || loaded.metricsPort === loaded.healthPort ? [loaded.healthPort] : [loaded.healthPort, loaded.metricsPort]);
    // ECS waits StopTimeout after SIGTERM before SIGKILL: the service's own deadline must fit in it.
    expect((definition.StopTimeout ?? 0) * 1000).toBeGreaterThan(Number(env[shutdownVariable]));
    expect(definition.StopTimeout).toBeLessThanOrEqual(120);
  });

  it('scales with target tracking', () => {
    const targets = resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget').filter(([, target]) =>
      JSON.stringify(target.Properties?.['ResourceId']).includes(`${prefix}Service.Name`),
    );
    expect(targets).toHaveLength(1);
    const [targetId] = targets[0] ?? [];
    const policies = resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').filter(([, policy]) => JSON.stringify(policy.Properties?.['ScalingTargetId']) === JSON.stringify({ Ref: targetId }));
    expect(policies.length).toBeGreaterThan(0);
    for (const [, policy] of policies) expect(policy.Properties?.['PolicyType']).toBe('TargetTrackingScaling');
  });
});

describe('scaling and traffic', () => {
  it('scales the ingestor on the event queue backlog', () => {
    const backlog = JSON.stringify(props(resource(template, 'IngestorBacklogScaling')));
    expect(backlog).toContain('ApproximateNumberOfMessagesVisible');
    expect(backlog).toContain(JSON.stringify({ 'Fn::GetAtt': ['EventQueue', 'QueueName'] }));
  });

  it('sends api traffic only to ready replicas', () => {
    expect(props(resource(template, 'ApiTargetGroup'))['HealthCheckPath']).toBe('/readyz');
    expect(props(resource(template, 'ApiService'))['LoadBalancers']).toEqual([{ ContainerName: 'api', ContainerPort: 3000, TargetGroupArn: { Ref: 'ApiTargetGroup' } }]);
  });
});

describe('template evaluation', () => {
  it("names the reconciler's target: the stack's account and region unless ReconcileTargets lists others", () => {
    const targets = (parameters: Record<string, string>): unknown =>
      (evaluate(template, container('ReconcilerTaskDefinition').Environment, parameters, REFS) as Array<{ Name: string; Value: string }>).find(
        (entry) => entry.Name === 'RECONCILE_TARGETS',
      )?.Value;
    expect(targets(PARAMETERS)).toBe('123456789012:us-east-1');
    const listed = '123456789012:us-east-1,444455556666:eu-west-1:arn:aws:iam::444455556666:role/ecs-state-reader';
    expect(targets({ ...PARAMETERS, ReconcileTargets: listed })).toBe(listed);
  });

  it('builds REDIS_URL with TLS unless told otherwise', () => {
    const env = (t: Template, parameters: Record<string, string>): unknown =>
      (evaluate(t, container('ApiTaskDefinition').Environment, parameters, REFS) as Array<{ Name: string; Value: string }>).find((entry) => entry.Name === 'REDIS_URL')?.Value;
    expect(env(template, PARAMETERS)).toBe(`rediss://${PARAMETERS['RedisEndpoint']}`);
    expect(env(template, { ...PARAMETERS, RedisTls: 'false' })).toBe(`redis://${PARAMETERS['RedisEndpoint']}`);
  });
});
