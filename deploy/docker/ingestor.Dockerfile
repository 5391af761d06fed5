# syntax=docker/dockerfile:1
# The ingestor: SQS (ECS events from EventBridge) -> etcd.
# Build from the repository root:  docker build -f deploy/docker/ingestor.Dockerfile -t ecs-state-ingestor .
ARG NODE_IMAGE=node:24-bookworm-slim

# Build stage: the whole workspace with its dev dependencies, bundled by Nx + esbuild.
FROM ${NODE_IMAGE} AS build
WORKDIR /workspace
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# Workspace libraries are inlined into the bundle, so their own build targets are not needed.
RUN npx nx run ingestor:build --excludeTaskDependencies

# Production dependencies only: the bundle keeps npm packages external.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production METRICS_PORT=9100
WORKDIR /app
# Owned by root and only readable by the service user: the process cannot alter its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /workspace/dist/apps/ingestor ./dist/apps/ingestor
COPY deploy/docker/healthcheck.cjs ./healthcheck.cjs
USER node
EXPOSE 9100
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "/app/healthcheck.cjs", "METRICS_PORT", "9100", "/healthz"]
# Exec form: node is PID 1 and receives SIGTERM itself; it drains in-flight batches
# within SHUTDOWN_TIMEOUT_MS (keep that below the orchestrator's stop timeout).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--enable-source-maps", "dist/apps/ingestor/main.js"]

# OCI labels come last: a new version or revision changes only the image's metadata.
# NODE_IMAGE names the base as given, e.g. pinned by digest: node:24-bookworm-slim@sha256:...
ARG NODE_IMAGE
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="ecs-state-ingestor" \
      org.opencontainers.image.description="ECS cluster state service: ingests ECS state-change events from SQS into etcd" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
