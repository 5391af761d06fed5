import type { Random } from '../aws/prng';
import type { InstanceRecord, Reservation } from './model';

/** Why a container instance cannot take a task, in the words of RunTask's `failures[].reason`. */
export type PlacementRefusal = 'RESOURCE:CPU' | 'RESOURCE:MEMORY' | 'RESOURCE:PORTS' | 'RESOURCE:PORTS_UDP';

export function refusal(instance: InstanceRecord, need: Reservation): PlacementRefusal | undefined {
  if (instance.remainingCpu < need.cpu) return 'RESOURCE:CPU';
  if (instance.remainingMemory < need.memory) return 'RESOURCE:MEMORY';
  if (need.ports.some((port) => instance.usedPorts.has(port))) return 'RESOURCE:PORTS';
  if (need.portsUdp.some((port) => instance.usedPortsUdp.has(port))) return 'RESOURCE:PORTS_UDP';
  return undefined;
}

export type PlacementStrategyName = 'spread' | 'binpack-cpu' | 'binpack-memory' | 'random';

/**
 * Picks among instances that fit. `spread` (the default) takes the one with the most
 * CPU left, `binpack-*` the one with the least of that resource left; ties go to the
 * earliest registered, which keeps placement deterministic.
 */
export function choose(
  fitting: readonly InstanceRecord[],
  strategy: PlacementStrategyName,
  random: Random,
): InstanceRecord | undefined {
  if (fitting.length === 0) return undefined;
  if (strategy === 'random') return fitting[Math.floor(random() * fitting.length)];
  let best = fitting[0] as InstanceRecord;
  for (const candidate of fitting) {
    if (strategy === 'spread' && candidate.remainingCpu > best.remainingCpu) best = candidate;
    if (strategy === 'binpack-cpu' && candidate.remainingCpu < best.remainingCpu) best = candidate;
    if (strategy === 'binpack-memory' && candidate.remainingMemory < best.remainingMemory) best = candidate;
  }
  return best;
}
