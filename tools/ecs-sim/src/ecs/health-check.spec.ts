import { failsHealthCheck } from './health-check';
import type { TaskDefinitionRecord } from './model';

function definition(...healthChecks: unknown[]): TaskDefinitionRecord {
  const containerDefinitions = healthChecks.map((healthCheck, i) => ({ name: `c${i}`, image: 'i', memory: 64, ...(healthCheck === undefined ? {} : { healthCheck }) }));
  return { definition: { family: 'f', containerDefinitions } } as unknown as TaskDefinitionRecord;
}

describe('the failing health check convention', () => {
  it('fails a definition with a container whose check can only fail', () => {
    expect(failsHealthCheck(definition({ command: ['CMD-SHELL', 'exit 1'] }))).toBe(true);
    expect(failsHealthCheck(definition({ command: ['CMD-SHELL', ' exit 42 '] }))).toBe(true);
    expect(failsHealthCheck(definition({ command: ['CMD-SHELL', 'false'] }))).toBe(true);
    expect(failsHealthCheck(definition({ command: ['CMD', 'false'] }))).toBe(true);
    expect(failsHealthCheck(definition(undefined, { command: ['CMD-SHELL', 'exit 1'] }))).toBe(true);
  });

  it('keeps every other check, and none, healthy', () => {
    expect(failsHealthCheck(definition(undefined))).toBe(false);
    expect(failsHealthCheck(definition({ command: ['CMD-SHELL', 'exit 0'] }))).toBe(false);
    expect(failsHealthCheck(definition({ command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] }))).toBe(false);
    expect(failsHealthCheck(definition({ command: ['CMD', 'exit 1'] }))).toBe(false);
    expect(failsHealthCheck(definition({ command: 'exit 1' }))).toBe(false);
  });
});
