import { readFileSync } from 'node:fs';
import { CONTRACTS, loadRecorded, type ServiceName } from './support/service-contracts';
import { repoPath } from './support/repo';

// A configuration each loader accepts, so that it reads every variable it knows.
const VALID: Record<Exclude<ServiceName, 'ecs-sim'>, NodeJS.ProcessEnv> = {
  ingestor: { AWS_REGION: 'us-east-1', ETCD_ENDPOINTS: 'http://127.0.0.1:2379', QUEUE_NAME: 'ecs-events' },
  reconciler: { AWS_REGION: 'us-east-1', ETCD_ENDPOINTS: 'http://127.0.0.1:2379', REDIS_URL: 'redis://127.0.0.1:6379' },
  api: { ETCD_ENDPOINTS: 'http://127.0.0.1:2379' },
};

describe('the README configuration reference', () => {
  const readme = readFileSync(repoPath('README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Operations'));

  it.each(Object.keys(VALID) as (keyof typeof VALID)[])('documents every variable the %s reads', async (service) => {
    const { understood } = await loadRecorded(CONTRACTS[service], VALID[service]);
    const own = [...understood].filter((name) => !CONTRACTS[service].externalVariables.includes(name));
    expect(own.length).toBeGreaterThan(5);
    expect(own.filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });
});
