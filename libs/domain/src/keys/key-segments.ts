/** The segment after the prefix that separates the record kinds. */
export const TASKS_SEGMENT = 'tasks';
export const INSTANCES_SEGMENT = 'instances';
export const SERVICES_SEGMENT = 'services';
