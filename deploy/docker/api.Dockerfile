# syntax=docker/dockerfile:1
# The REST API: serves the state kept in etcd (/v1, /docs).
# Build from the repository root:  docker build -f deploy/docker/api.Dockerfile -t ecs-state-api .
ARG NODE_IMAGE=node:24-bookworm-slim

# Build stage: the whole workspace with its dev dependencies, bundled by Nx + esbuild.
FROM ${NODE_IMAGE} AS build
WORKDIR /workspace
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# Workspace libraries are inlined into the bundle, so their own build targets are not needed.
RUN npx nx run api:build --excludeTaskDependencies

# Production dependencies only: the bundle keeps npm packages external.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
# Owned by root and only readable by the service user: the process cannot alter its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /workspace/dist/apps/api ./dist/apps/api
COPY deploy/docker/healthcheck.cjs ./healthcheck.cjs
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "/app/healthcheck.cjs", "PORT", "3000", "/healthz"]
# Exec form: node is PID 1 and receives SIGTERM itself; it stops accepting requests,
# ends its streams and closes within SHUTDOWN_TIMEOUT_MS.
# --max-semi-space-size=32: a larger young generation collects a fraction as often,
# and each short collection is a request's latency tail (apps/api/README.md, "Node.js flags").
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--enable-source-maps", "--max-semi-space-size=32", "dist/apps/api/main.js"]

# OCI labels come last: a new version or revision changes only the image's metadata.
# NODE_IMAGE names the base as given, e.g. pinned by digest: node:24-bookworm-slim@sha256:...
ARG NODE_IMAGE
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="ecs-state-api" \
      org.opencontainers.image.description="ECS cluster state service: the REST API (/v1) over the state kept in etcd" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
