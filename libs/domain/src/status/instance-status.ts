/** Values of a container instance's `status`. */
export const INSTANCE_STATUSES = ['REGISTERING', 'REGISTRATION_FAILED', 'ACTIVE', 'DRAINING', 'DEREGISTERING', 'INACTIVE'] as const;

export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

/** Records keep any status string ECS sends; this tells whether it is a known one. */
export function isInstanceStatus(value: string): value is InstanceStatus {
  return (INSTANCE_STATUSES as readonly string[]).includes(value);
}
