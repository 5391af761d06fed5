import type { Painter } from './ansi';

// The api's header naming the store revision a response reflects (libs/rest-api REVISION_HEADER):
// a list's revision is where a stream continues without a gap.
const REVISION_HEADER = 'x-store-revision';

export interface BannerInfo {
  apiUrl: string;
  /** Token to show in the examples; undefined when the tokens came from API_TOKENS. */
  demoToken: string | undefined;
  mode: string;
  etcdEndpoints: string;
  redisUrl: string;
  simulatorUrl: string | undefined;
  skipped: string[];
}

/** What a user needs once everything is ready: where to look and what to try. */
export function banner(info: BannerInfo, paint: Painter): string {
  const token = info.demoToken ?? '<one of API_TOKENS>';
  const api = info.apiUrl;
  const cluster = 'workload-0';
  const auth = `-H "Authorization: Bearer $TOKEN"`;
  const lines = [
    '',
    paint('bold', paint('green', `The cluster state service is running (${info.mode}).`)),
    '',
    `  API        ${paint('bold', api)}`,
    `  Dashboard  ${paint('bold', `${api}/ui/`)}   (sign in with the API token)`,
    `  API docs   ${api}/docs   (OpenAPI: ${api}/docs/json)`,
    '             /docs and the dashboard page are open; every other route but /healthz and /readyz needs the token',
    `  API token  ${info.demoToken ? paint('bold', info.demoToken) : 'from API_TOKENS'}`,
    `  etcd       ${info.etcdEndpoints}`,
    `  Redis      ${info.redisUrl}`,
  ];
  if (info.simulatorUrl) lines.push(`  simulator  ${info.simulatorUrl}   (ground truth: ${info.simulatorUrl}/_sim/state)`);
  for (const s of info.skipped) lines.push(`  ${paint('yellow', `not started: ${s}`)}`);
  // Each line pastes as it is, in order: later lines use what earlier ones saved in variables.
  lines.push(
    '',
    'Try (plain curl and sed; the stream runs until Ctrl-C):',
    `  export API=${api} TOKEN=${token}`,
    `  curl -s ${auth} "$API/v1/tasks?cluster=${cluster}&status=RUNNING"`,
    `  curl -s ${auth} $API/v1/instances`,
    `  arn=$(curl -s ${auth} "$API/v1/tasks?cluster=${cluster}&limit=1" | sed -n 's/.*"taskARN":"\\([^"]*\\)".*/\\1/p')`,
    `  curl -s ${auth} "$API/v1/tasks/${cluster}/$arn"`,
    `  id=$(curl -s ${auth} -X POST -H 'Content-Type: application/json' -d '{}' $API/v1/reconcile | sed 's/.*"id":"\\([^"]*\\)".*/\\1/')`,
    `  curl -s ${auth} $API/v1/reconcile/$id`,
    `  rev=$(curl -s -D - -o tasks.json ${auth} $API/v1/tasks | sed -n 's/^${REVISION_HEADER}: *\\([0-9]*\\).*/\\1/p')`,
    `  curl -sN ${auth} "$API/v1/stream/tasks?afterRevision=$rev"`,
    '',
    'Or the ecs-state CLI, from this repository (--watch runs until Ctrl-C; npx ecs-state help lists the rest):',
    `  export ECS_STATE_URL=${api} ECS_STATE_TOKEN=${token}`,
    `  npx ecs-state top instances`,
    `  npx ecs-state get tasks --cluster ${cluster} --watch`,
    '',
    'Ctrl-C stops everything.',
    '',
  );
  return lines.join('\n');
}
