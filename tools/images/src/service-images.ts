/** One image per Dockerfile, tagged as docker-compose.yml names it. */
export interface ServiceImage {
  service: 'ecs-sim' | 'ingestor' | 'reconciler' | 'api';
  dockerfile: string;
  /** As podman stores compose's `ecs-cluster-state/<service>:local`. */
  tag: string;
}

function image(service: ServiceImage['service']): ServiceImage {
  return { service, dockerfile: `deploy/docker/${service}.Dockerfile`, tag: `localhost/ecs-cluster-state/${service}:local` };
}

// The simulator first: the build stages of all four are the same up to `nx run`, so the
// later builds reuse its npm ci layer.
export const SERVICE_IMAGES: readonly ServiceImage[] = [image('ecs-sim'), image('ingestor'), image('reconciler'), image('api')];
