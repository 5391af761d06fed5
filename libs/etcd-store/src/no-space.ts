/** What etcd answers (gRPC RESOURCE_EXHAUSTED) to a write while its NOSPACE alarm is raised. */
const NO_SPACE_MESSAGE = 'database space exceeded';

export function isNoSpaceError(error: unknown): boolean {
  return error instanceof Error && error.message.includes(NO_SPACE_MESSAGE);
}
