# syntax=docker/dockerfile:1
# The ECS + SQS simulator, for docker-compose demos and tests. Not for production.
# Build from the repository root:  docker build -f deploy/docker/ecs-sim.Dockerfile -t ecs-state-ecs-sim .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /workspace
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npx nx run ecs-sim:build --excludeTaskDependencies

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# Listen on every interface: other containers reach it by its service name.
ENV NODE_ENV=production ECS_SIM_HOST=0.0.0.0 ECS_SIM_PORT=4566
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /workspace/dist/tools/ecs-sim ./dist/tools/ecs-sim
COPY deploy/docker/healthcheck.cjs ./healthcheck.cjs
USER node
EXPOSE 4566
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "/app/healthcheck.cjs", "ECS_SIM_PORT", "4566", "/_sim/health"]
# Exec form so SIGTERM reaches node: parked long polls are answered before it exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--enable-source-maps", "dist/tools/ecs-sim/main.js"]

# OCI labels come last: a new version or revision changes only the image's metadata.
# NODE_IMAGE names the base as given, e.g. pinned by digest: node:24-bookworm-slim@sha256:...
ARG NODE_IMAGE
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="ecs-state-ecs-sim" \
      org.opencontainers.image.description="ECS cluster state service: the Amazon ECS + SQS simulator, for demos and tests, not for production" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
