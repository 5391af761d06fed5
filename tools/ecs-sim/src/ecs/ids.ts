import type { Random } from '../aws/prng';

const VARIANTS = '89ab';

/** Identifier shapes ECS uses, drawn from one random source. */
export class IdSource {
  constructor(private readonly random: Random) {}

  hex(length: number): string {
    // Filled bytes rendered once: concatenating characters would leave rope strings
    // that cost memory and GC time when 100,000 tasks each carry several IDs.
    const bytes = Buffer.allocUnsafe(Math.ceil(length / 2));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(this.random() * 256);
    return bytes.toString('hex', 0, bytes.length).slice(0, length);
  }

  /** A version-4 UUID. */
  uuid(): string {
    const h = this.hex(32);
    const variant = VARIANTS[Math.floor(this.random() * 4)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Task IDs are 32 lowercase hex characters. */
  taskId(): string {
    return this.hex(32);
  }

  /** `ecs-svc/` and 19 decimal digits, as ECS names deployments. */
  deploymentId(): string {
    let digits = String(1 + Math.floor(this.random() * 9));
    for (let i = 1; i < 19; i++) digits += String(Math.floor(this.random() * 10));
    return `ecs-svc/${digits}`;
  }

  ec2InstanceId(): string {
    return `i-${this.hex(17)}`;
  }
}

/** One of the region's first three Availability Zones. */
export function availabilityZone(region: string, random: Random): string {
  return `${region}${'abc'[Math.floor(random() * 3)]}`;
}
