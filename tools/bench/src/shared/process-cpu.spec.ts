import { spawn } from 'node:child_process';
import { findPidByCommandLine, parseProcStatCpuSeconds, processCpuSeconds } from './process-cpu';

describe('parseProcStatCpuSeconds', () => {
  it('adds utime and stime, in seconds', () => {
    const stat = '4242 (node) S 1 4242 4242 0 -1 4194304 9000 0 0 0 1234 566 0 0 20 0 11 0 100 0 0';
    expect(parseProcStatCpuSeconds(stat)).toBeCloseTo(18);
  });

  it('counts fields from the last parenthesis, so odd command names do not shift them', () => {
    const stat = '7 (we (ird) name) R 1 7 7 0 -1 0 0 0 0 0 250 50 0 0 20 0 1 0 100 0 0';
    expect(parseProcStatCpuSeconds(stat)).toBeCloseTo(3);
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStatCpuSeconds('nothing here')).toThrow();
  });
});

describe('processCpuSeconds and findPidByCommandLine', () => {
  it('reads this process and finds a child by its command line', async () => {
    expect(processCpuSeconds(process.pid)).toBeGreaterThan(0);
    const marker = `${Math.floor(Math.random() * 1e6) + 1000}.5`;
    const child = spawn('sleep', [marker]);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect(findPidByCommandLine(`sleep ${marker}`)).toBe(child.pid);
    } finally {
      child.kill('SIGKILL');
    }
    expect(findPidByCommandLine('no process has this in its command line \u2603')).toBeUndefined();
  });
});
