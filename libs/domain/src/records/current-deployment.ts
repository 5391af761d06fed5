/**
 * A service's current deployment: the one being rolled out, or the last one. That is the
 * PRIMARY one, unless a deployment known only from its events (no `status` yet: started
 * after the last DescribeServices) is listed before it; deployments are listed newest
 * first and ECS makes the newest one PRIMARY, so that one is the PRIMARY now.
 *
 * Generic over the deployment's shape so that a stored `ServiceDeployment` and the loose
 * JSON a client reads from the API are judged by this one rule.
 */
export function currentDeployment<D extends { readonly status?: unknown }>(deployments: readonly D[]): D | undefined {
  return deployments.find((deployment) => deployment.status === undefined || deployment.status === 'PRIMARY');
}
