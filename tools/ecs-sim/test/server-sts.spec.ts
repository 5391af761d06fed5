import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { startSimulator, type Simulator } from '../src';

const base = { accessKeyId: 'AKIABASE', secretAccessKey: 'base-secret' };
const ROLE = 'arn:aws:iam::444455556666:role/path/ecs-state-reader';

describe('the simulated STS', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, accountId: '111122223333' });
  });
  afterEach(() => sim.close());

  it("hands out a role session through the SDK's credential provider, and tells which key signed each ECS call", async () => {
    const assumed = fromTemporaryCredentials({
      params: { RoleArn: ROLE, RoleSessionName: 'reconciler', ExternalId: 'ecs-state' },
      masterCredentials: base,
      clientConfig: { region: 'us-east-1', endpoint: sim.endpoint },
    });
    const viaRole = new ECSClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: assumed });
    const direct = new ECSClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: base });
    try {
      await viaRole.send(new ListClustersCommand({}));
      await viaRole.send(new ListClustersCommand({}));
      await direct.send(new ListClustersCommand({}));
    } finally {
      viaRole.destroy();
      direct.destroy();
    }

    const [session] = sim.sts.assumedRoles();
    expect(sim.sts.assumedRoles()).toHaveLength(1);
    expect(session).toMatchObject({ roleArn: ROLE, roleSessionName: 'reconciler', externalId: 'ecs-state', callerAccessKeyId: base.accessKeyId });
    expect(session?.accessKeyId).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(sim.server.callsByAccessKey('ecs')).toEqual(new Map([[session?.accessKeyId, 2], [base.accessKeyId, 1]]));
    expect(sim.server.callsByAccessKey('sts')).toEqual(new Map([[base.accessKeyId, 1]]));
  });

  it('refuses an invalid role ARN as STS does', async () => {
    const assumed = fromTemporaryCredentials({
      params: { RoleArn: 'arn:aws:iam::1:user/x', RoleSessionName: 'reconciler' },
      masterCredentials: base,
      clientConfig: { region: 'us-east-1', endpoint: sim.endpoint, maxAttempts: 1 },
    });
    await expect(assumed()).rejects.toMatchObject({ name: 'ValidationError' });
    expect(sim.sts.assumedRoles()).toEqual([]);
  });
});
