/** What `get`, `describe` and `top` read: the API's three collections. */
export type ResourceKind = 'tasks' | 'instances' | 'services';

export interface ResourceRoutes {
  /** `v1/tasks`: lists, and gets below it. */
  collection: string;
  stream: string;
  /** The entity's own ARN property. */
  arnField: 'taskARN' | 'containerInstanceARN' | 'serviceARN';
  /** For messages: `task`, `container instance`, `service`. */
  noun: string;
}

export const RESOURCE_ROUTES: Readonly<Record<ResourceKind, ResourceRoutes>> = {
  tasks: { collection: 'v1/tasks', stream: 'v1/stream/tasks', arnField: 'taskARN', noun: 'task' },
  instances: { collection: 'v1/instances', stream: 'v1/stream/instances', arnField: 'containerInstanceARN', noun: 'container instance' },
  services: { collection: 'v1/services', stream: 'v1/stream/services', arnField: 'serviceARN', noun: 'service' },
};

/** `task`, `tasks`, `instance`, `instances` (and `ci`, `containerinstances`, as ECS says), `service`, `services` (`svc`) as typed on the command line. */
export function parseResourceKind(word: string | undefined): ResourceKind | undefined {
  switch (word?.toLowerCase()) {
    case 'task':
    case 'tasks':
      return 'tasks';
    case 'instance':
    case 'instances':
    case 'ci':
    case 'containerinstance':
    case 'containerinstances':
      return 'instances';
    case 'service':
    case 'services':
    case 'svc':
      return 'services';
    default:
      return undefined;
  }
}
