import { evaluate, failedRules, readTemplate, resource, resourcesOfType, type Resource } from './support/cloudformation';
import { loadWorkspaceFunction } from './support/workspace-module';

const template = readTemplate();

const BASE: Record<string, string> = {
  IngestorImage: 'ingestor:1',
  ApiImage: 'api:1',
  ReconcilerImage: 'reconciler:1',
  EtcdEndpoints: 'https://10.0.1.10:2379',
  RedisEndpoint: 'master.ecs-state.abc123.use1.cache.amazonaws.com:6379',
  ApiTokensSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api-tokens-AbCdEf',
  MetricsScrapeCidr: '10.0.0.0/16',
  VpcId: 'vpc-0123',
  ServiceSecurityGroupIds: 'sg-a',
  SubnetIds: 'subnet-a,subnet-b',
  LoadBalancerSubnetIds: 'subnet-a,subnet-b',
  LoadBalancerSecurityGroupIds: 'sg-alb',
};
const SECRETS = {
  EtcdCredentialsSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:etcd-credentials-1',
  EtcdTlsCaSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:etcd-ca-2',
  EtcdTlsCertSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:etcd-cert-3',
  EtcdTlsKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:etcd-key-4',
  RedisUrlSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-url-5',
};

function props(id: string, parameters: Record<string, string> = BASE): Record<string, unknown> {
  return evaluate(template, resource(template, id).Properties ?? {}, parameters) as Record<string, unknown>;
}

interface Container {
  Environment: Array<{ Name: string; Value: string }>;
  Secrets: Array<{ Name: string; ValueFrom: string }>;
  PortMappings: Array<{ ContainerPort: number }>;
}

function container(prefix: string, parameters: Record<string, string> = BASE): Container {
  return (props(`${prefix}TaskDefinition`, parameters)['ContainerDefinitions'] as Container[])[0] as Container;
}

function executionStatements(parameters: Record<string, string>): Array<{ Action: string; Resource: unknown; Condition?: unknown }> {
  const policies = props('ExecutionRole', parameters)['Policies'] as Array<{ PolicyDocument: { Statement: Array<{ Action: string; Resource: unknown }> } }>;
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

describe('api authentication', () => {
  it('is on by default: the api gets its tokens from the secret, and a stack without the secret is refused', () => {
    expect(template.Parameters['ApiAuthentication']?.['Default']).toBe('enabled');
    expect(container('Api').Secrets).toContainEqual({ Name: 'API_TOKENS', ValueFrom: BASE['ApiTokensSecretArn'] });
    expect(failedRules(template, BASE)).toEqual([]);
    expect(failedRules(template, { ...BASE, ApiTokensSecretArn: '' })).toEqual(['ApiTokensSecretArn is required unless ApiAuthentication is disabled']);
  });

  it('can be switched off for v1 clients that send no token: no API_TOKENS, no secret to read', () => {
    const parameters = { ...BASE, ApiAuthentication: 'disabled', ApiTokensSecretArn: '' };
    expect(failedRules(template, parameters)).toEqual([]);
    expect(container('Api', parameters).Secrets.map((s) => s.Name)).not.toContain('API_TOKENS');
    expect(executionStatements(parameters)).toEqual([]);
    expect(String(template.Parameters['ApiAuthentication']?.['Description'])).toMatch(/no authentication[\s\S]*refused with 403/);
  });
});

describe('the load balancer listener', () => {
  it('is HTTPS on 443 with the certificate given, plain HTTP on 80 without', () => {
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    expect(props('ApiListener', { ...BASE, CertificateArn: certificate })).toMatchObject({ Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: certificate }] });
    const plain = props('ApiListener');
    expect(plain).toMatchObject({ Port: 80, Protocol: 'HTTP' });
    expect(plain).not.toHaveProperty('Certificates');
  });

  it('refuses an internet-facing scheme without a certificate unless plain HTTP is explicitly accepted', () => {
    const internet = { ...BASE, LoadBalancerScheme: 'internet-facing' };
    expect(failedRules(template, internet)).toEqual([expect.stringContaining('internet-facing load balancer needs CertificateArn')]);
    expect(failedRules(template, { ...internet, AllowPlainHttp: 'true' })).toEqual([]);
    expect(failedRules(template, { ...internet, CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' })).toEqual([]);
    expect(failedRules(template, BASE)).toEqual([]);
  });
});

describe('metrics ports', () => {
  it('are open to MetricsScrapeCidr only, on every service, and the api serves its metrics on 9101', () => {
    expect(props('MetricsSecurityGroup')['SecurityGroupIngress']).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 9100, ToPort: 9102, CidrIp: '10.0.0.0/16' })]);
    for (const prefix of ['Ingestor', 'Api', 'Reconciler']) {
      const network = props(`${prefix}Service`, { ...BASE, ServiceSecurityGroupIds: 'sg-a,sg-b' })['NetworkConfiguration'] as { AwsvpcConfiguration: { SecurityGroups: string[] } };
      expect(network.AwsvpcConfiguration.SecurityGroups).toEqual(['sg-a', 'sg-b', '<MetricsSecurityGroup>']);
    }
    const api = container('Api');
    expect(api.Environment).toContainEqual({ Name: 'METRICS_PORT', Value: '9101' });
    expect(api.PortMappings.map((m) => m.ContainerPort)).toEqual([3000, 9101]);
    // The load balancer forwards to 3000 alone.
    expect(props('ApiService')['LoadBalancers']).toEqual([expect.objectContaining({ ContainerPort: 3000 })]);
  });
});

describe('secrets', () => {
  it('are none but the api tokens by default', () => {
    expect(container('Ingestor').Secrets).toEqual([]);
    expect(container('Reconciler').Secrets).toEqual([]);
    expect(container('Api').Secrets).toEqual([{ Name: 'API_TOKENS', ValueFrom: BASE['ApiTokensSecretArn'] }]);
  });

  it('bring etcd credentials and TLS material to every service, and the Redis URL with its token to those using Redis', () => {
    const parameters = { ...BASE, ...SECRETS };
    const etcd = [
      { Name: 'ETCD_USERNAME', ValueFrom: `${SECRETS.EtcdCredentialsSecretArn}:username::` },
      { Name: 'ETCD_PASSWORD', ValueFrom: `${SECRETS.EtcdCredentialsSecretArn}:password::` },
      { Name: 'ETCD_TLS_CA', ValueFrom: SECRETS.EtcdTlsCaSecretArn },
      { Name: 'ETCD_TLS_CERT', ValueFrom: SECRETS.EtcdTlsCertSecretArn },
      { Name: 'ETCD_TLS_KEY', ValueFrom: SECRETS.EtcdTlsKeySecretArn },
    ];
    const redis = { Name: 'REDIS_URL', ValueFrom: SECRETS.RedisUrlSecretArn };
    expect(container('Ingestor', parameters).Secrets).toEqual(etcd);
    expect(container('Reconciler', parameters).Secrets).toEqual([...etcd, redis]);
    expect(container('Api', parameters).Secrets).toEqual([{ Name: 'API_TOKENS', ValueFrom: BASE['ApiTokensSecretArn'] }, ...etcd, redis]);
    // REDIS_URL from the secret replaces the one built from RedisEndpoint.
    for (const prefix of ['Api', 'Reconciler']) expect(container(prefix, parameters).Environment.map((e) => e.Name)).not.toContain('REDIS_URL');
    expect(executionStatements(parameters)).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [BASE['ApiTokensSecretArn'], ...Object.values(SECRETS)] },
    ]);
  });

  it('refuse a client certificate without its key', () => {
    expect(failedRules(template, { ...BASE, EtcdTlsCertSecretArn: SECRETS.EtcdTlsCertSecretArn })).toEqual(['EtcdTlsCertSecretArn and EtcdTlsKeySecretArn are set together']);
    expect(failedRules(template, { ...BASE, EtcdTlsKeySecretArn: SECRETS.EtcdTlsKeySecretArn })).toEqual(['EtcdTlsCertSecretArn and EtcdTlsKeySecretArn are set together']);
  });

  it('are decrypted with the customer-managed key when one is given, through Secrets Manager only', () => {
    expect(executionStatements(BASE).map((s) => s.Action)).not.toContain('kms:Decrypt');
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(executionStatements({ ...BASE, SecretsKmsKeyArn: key })).toContainEqual({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: key,
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
    });
  });
});

describe('the EventBridge target', () => {
  it('retries, then sends what it could not deliver to a dead-letter queue that only the rule may write to', () => {
    const [target] = props('EcsEventRule')['Targets'] as Array<Record<string, unknown>>;
    expect(target).toMatchObject({ RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 }, DeadLetterConfig: { Arn: '<EventDeliveryDeadLetterQueue.Arn>' } });
    expect(resource(template, 'EventDeliveryDeadLetterQueue').Type).toBe('AWS::SQS::Queue');
    const policy = props('EventDeliveryDeadLetterQueuePolicy') as { Queues: unknown; PolicyDocument: { Statement: unknown[] } };
    expect(policy.Queues).toEqual(['<EventDeliveryDeadLetterQueue>']);
    expect(policy.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': '<EcsEventRule.Arn>' } } }),
    ]);
  });
});

describe('alarms', () => {
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
  const alarm = (id: string, parameters: Record<string, string> = BASE) => props(id, parameters);

  it('cover every failure the runbooks name, each with a threshold parameter that has a default', () => {
    expect(alarms.map(([id]) => id).sort()).toEqual(
      [
        'ApiHealthyTargetsAlarm',
        'ApiStalenessAlarm',
        'DeadLetterQueueAlarm',
        'EtcdAlarmActiveAlarm',
        'EtcdDbSizeAlarm',
        'EtcdStatusAgeAlarm',
        'EventDeliveryDeadLetterAlarm',
        'EventQueueAgeAlarm',
        'EventStreamIteratorAgeAlarm',
        'IngestorErrorsAlarm',
        'ReconcileFailuresAlarm',
        'ReconcileOverdueAlarm',
      ].sort(),
    );
    for (const [id, item] of alarms) {
      const threshold = (item.Properties?.['Threshold'] ?? {}) as { Ref?: string };
      // The overdue and etcd-alarm alarms' threshold is their duration: "fewer than 1 completed run", "an alarm raised", for that many minutes.
      const parameter = ['ReconcileOverdueAlarm', 'EtcdAlarmActiveAlarm'].includes(id) ? (item.Properties?.['EvaluationPeriods'] as { Ref?: string }).Ref : threshold.Ref;
      expect(parameter).toBeDefined();
      expect(template.Parameters[parameter ?? '']).toHaveProperty('Default');
      expect(String(item.Properties?.['AlarmDescription'])).toMatch(/Runbook deploy\/README\.md#[a-z-]+$/);
    }
  });

  it('notify the SNS topic when one is given, both when firing and when clearing', () => {
    const topic = 'arn:aws:sns:us-east-1:123456789012:ops';
    for (const [id] of alarms) {
      expect(alarm(id, { ...BASE, AlarmTopicArn: topic })).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
      expect(alarm(id)).not.toHaveProperty('AlarmActions');
      expect(alarm(id)).not.toHaveProperty('OKActions');
    }
  });

  it('take their thresholds from the parameters', () => {
    expect(alarm('DeadLetterQueueAlarm', { ...BASE, DeadLetterQueueAlarmThreshold: '5' })).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: '5', Dimensions: [{ Name: 'QueueName', Value: '<DeadLetterQueue.QueueName>' }] });
    expect(alarm('EventDeliveryDeadLetterAlarm')).toMatchObject({ Dimensions: [{ Name: 'QueueName', Value: '<EventDeliveryDeadLetterQueue.QueueName>' }], Threshold: '1' });
    expect(alarm('EventQueueAgeAlarm', { ...BASE, EventQueueAgeAlarmSeconds: '900' })).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage', Threshold: '900' });
    expect(alarm('ApiHealthyTargetsAlarm')).toMatchObject({ Namespace: 'AWS/ApplicationELB', MetricName: 'HealthyHostCount', ComparisonOperator: 'LessThanThreshold', Threshold: '1', TreatMissingData: 'breaching' });
    expect(alarm('ApiStalenessAlarm', { ...BASE, ApiStalenessAlarmSeconds: '12' })).toMatchObject({ Threshold: '12', ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarm('IngestorErrorsAlarm', { ...BASE, IngestorErrorsAlarmThreshold: '50' })).toMatchObject({ Threshold: '50', Statistic: 'Sum' });
    expect(alarm('ReconcileFailuresAlarm', { ...BASE, ReconcileFailuresAlarmThreshold: '3' })).toMatchObject({ Threshold: '3', Statistic: 'Sum' });
  });

  it('fire on an etcd alarm, a database near its quota for 15 minutes, and a status unread for five of its intervals', () => {
    expect(alarm('EtcdAlarmActiveAlarm')).toMatchObject({ MetricName: 'EtcdAlarmActive', Statistic: 'Maximum', Period: 60, EvaluationPeriods: '1', DatapointsToAlarm: '1', ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1 });
    expect(alarm('EtcdAlarmActiveAlarm', { ...BASE, EtcdAlarmMinutes: '5' })).toMatchObject({ EvaluationPeriods: '5', DatapointsToAlarm: '5' });
    expect(alarm('EtcdDbSizeAlarm')).toMatchObject({ MetricName: 'EtcdDbSizeRatio', Statistic: 'Maximum', Period: 300, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanThreshold', Threshold: '0.8' });
    expect(alarm('EtcdDbSizeAlarm', { ...BASE, EtcdDbSizeAlarmRatio: '0.6' })).toMatchObject({ Threshold: '0.6' });
    // Five of the services' default ETCD_STATUS_INTERVAL_MS, which the template leaves as it is.
    expect(alarm('EtcdStatusAgeAlarm')).toMatchObject({ MetricName: 'EtcdStatusAgeSeconds', Statistic: 'Maximum', ComparisonOperator: 'GreaterThanThreshold', Threshold: '50' });
    for (const prefix of ['Ingestor', 'Api', 'Reconciler']) expect(container(prefix).Environment.map((e) => e.Name)).not.toContain('ETCD_STATUS_INTERVAL_MS');
    expect(alarm('EtcdStatusAgeAlarm', { ...BASE, EtcdStatusAgeAlarmSeconds: '120' })).toMatchObject({ Threshold: '120' });
  });

  it("measure etcd's database against the quota every service is given, by default the services' own default", async () => {
    type LoadEtcdConfig = (env: Record<string, string>) => { quotaBackendBytes: number; statusIntervalMs: number };
    const loadEtcdConfig = await loadWorkspaceFunction<LoadEtcdConfig>('libs/etcd-store/src/config/etcd-config.ts', 'loadEtcdConfig');
    const defaults = loadEtcdConfig({ ETCD_ENDPOINTS: 'http://a:1' });
    expect(String(template.Parameters['EtcdQuotaBackendBytes']?.['Default'])).toBe(String(defaults.quotaBackendBytes));
    expect(template.Parameters['EtcdStatusAgeAlarmSeconds']?.['Default']).toBe((5 * defaults.statusIntervalMs) / 1000);
    for (const prefix of ['Ingestor', 'Api', 'Reconciler']) {
      expect(container(prefix).Environment).toContainEqual({ Name: 'ETCD_QUOTA_BACKEND_BYTES', Value: '2147483648' });
      expect(container(prefix, { ...BASE, EtcdQuotaBackendBytes: '8589934592' }).Environment).toContainEqual({ Name: 'ETCD_QUOTA_BACKEND_BYTES', Value: '8589934592' });
    }
  });

  it('fire when no reconcile run completed for twice the default interval, and can be turned off with the schedule', () => {
    expect(template.Parameters['ReconcileInterval']?.['Default']).toBe('20m');
    expect(alarm('ReconcileOverdueAlarm')).toMatchObject({ Period: 60, EvaluationPeriods: '40', DatapointsToAlarm: '40', ComparisonOperator: 'LessThanThreshold', Threshold: 1, TreatMissingData: 'breaching' });
    const overdue = resource(template, 'ReconcileOverdueAlarm') as Resource & { Condition?: string };
    const condition = (minutes: string) => evaluate(template, { 'Fn::If': [overdue.Condition, true, false] }, { ...BASE, ReconcileOverdueAlarmMinutes: minutes });
    expect(condition('40')).toBe(true);
    expect(condition('0')).toBe(false);
  });

  it("watch the metrics the services publish to the stack's namespace", async () => {
    type Factory = (...args: never[]) => Array<{ name: string }>;
    const published: Record<string, string[]> = {};
    for (const [service, module, exported] of [
      ['ingestor', 'apps/ingestor/src/cloudwatch-metrics.ts', 'ingestorCloudWatchMetrics'],
      ['reconciler', 'apps/reconciler/src/cloudwatch-metrics.ts', 'reconcilerCloudWatchMetrics'],
      ['api', 'apps/api/src/cloudwatch-metrics.ts', 'apiCloudWatchMetrics'],
    ] as const) {
      const factory = await loadWorkspaceFunction<Factory>(module, exported);
      published[service] = factory(...([{}] as never[])).map((metric) => metric.name);
    }
    const namespace = 'ECSClusterState/ecs-state';
    let custom = 0;
    for (const [id] of alarms) {
      const a = alarm(id) as { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> };
      if (a.Namespace.startsWith('AWS/')) continue;
      custom += 1;
      expect(a.Namespace).toBe(namespace);
      const service = a.Dimensions.find((d) => d.Name === 'Service')?.Value ?? '';
      expect(published[service]).toContain(a.MetricName);
    }
    expect(custom).toBe(7);
    for (const prefix of ['Ingestor', 'Api', 'Reconciler']) expect(container(prefix).Environment).toContainEqual({ Name: 'CLOUDWATCH_METRICS_NAMESPACE', Value: namespace });
  });
});
