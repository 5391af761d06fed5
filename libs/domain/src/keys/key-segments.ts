/** The segment after the prefix that separates the two record kinds. */
export const TASKS_SEGMENT = 'tasks';
export const INSTANCES_SEGMENT = 'instances';
