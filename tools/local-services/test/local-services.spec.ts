import { connect } from 'node:net';
import { startEtcd, startRedis } from '../src';

async function etcdHealthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/health`);
    return ((await res.json()) as { health?: string }).health === 'true';
  } catch {
    return false;
  }
}

function redisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString());
    });
    socket.once('error', reject);
  });
}

describe('local services', () => {
  it('starts etcd on a free loopback port, restarts it with its data, and stops it', async () => {
    const etcd = await startEtcd();
    try {
      expect(etcd.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await etcdHealthy(etcd.endpoint)).toBe(true);
      const put = await fetch(`${etcd.endpoint}/v3/kv/put`, {
        method: 'POST',
        body: JSON.stringify({ key: Buffer.from('k').toString('base64'), value: Buffer.from('v').toString('base64') }),
      });
      expect(put.ok).toBe(true);
      await etcd.kill();
      expect(etcd.running).toBe(false);
      expect(await etcdHealthy(etcd.endpoint)).toBe(false);
      await etcd.start();
      const range = await fetch(`${etcd.endpoint}/v3/kv/range`, {
        method: 'POST',
        body: JSON.stringify({ key: Buffer.from('k').toString('base64') }),
      });
      const body = (await range.json()) as { kvs?: { value: string }[] };
      expect(Buffer.from(body.kvs?.[0]?.value ?? '', 'base64').toString()).toBe('v');
    } finally {
      await etcd.stop();
    }
    expect(await etcdHealthy(etcd.endpoint)).toBe(false);
  });

  it('starts Redis on a free loopback port and stops it', async () => {
    const redis = await startRedis();
    try {
      expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(await redisCommand(redis.port, 'PING')).toBe('+PONG\r\n');
      await redis.restart();
      expect(await redisCommand(redis.port, 'PING')).toBe('+PONG\r\n');
    } finally {
      await redis.stop();
    }
    await expect(redisCommand(redis.port, 'PING')).rejects.toThrow();
  });

  it('gives each server its own port', async () => {
    const [a, b] = await Promise.all([startEtcd(), startEtcd()]);
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  // Ports are picked free and bound later: another suite's server can take one meanwhile.
  it('never takes another etcd on its port for its own: the start fails instead', async () => {
    const other = await startEtcd();
    try {
      await expect(startEtcd({ port: other.port })).rejects.toThrow(/exited during start-up/);
      expect(await etcdHealthy(other.endpoint)).toBe(true);
    } finally {
      await other.stop();
    }
  }, 60_000);

  it('never takes another Redis on its port for its own: the start fails instead', async () => {
    const other = await startRedis();
    try {
      await expect(startRedis({ port: other.port })).rejects.toThrow(/exited during start-up/);
      expect(await redisCommand(other.port, 'PING')).toBe('+PONG\r\n');
    } finally {
      await other.stop();
    }
  }, 60_000);
});
