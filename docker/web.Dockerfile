#
# The web UI: `npm run build:web` in a Node stage, the static files served by unprivileged nginx on 8080.
# Only static files: in the cluster the Ingress sends /ws and /api to the gateway.
#   docker build -f docker/web.Dockerfile -t hsc-jit-web .
# Base images pinned by digest in literal FROM lines, and NODE_BASE / NGINX_BASE to substitute them, as in
# docker/app.Dockerfile (no `# syntax=` line, the CA bundle as an optional `ca` secret); enforced by
# test/delivery/dockerfiles.test.ts.
ARG NODE_BASE=node-pinned
ARG NGINX_BASE=nginx-pinned
FROM docker.io/library/node:24.18.0-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS node-pinned
FROM docker.io/nginxinc/nginx-unprivileged:1.31.6-alpine3.24@sha256:b54ac358b83fc6c965793fd271839b4ea4cdb6e99895bb19618cbc2ca152d972 AS nginx-pinned

FROM ${NODE_BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The build needs the dev dependencies (vite, tailwind); none of them reaches the final image.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY app ./app
RUN npm run build:web

FROM ${NGINX_BASE} AS web
COPY docker/web/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /src/app/web/dist /usr/share/nginx/html
# A numeric user above the host's (nginx-unprivileged runs as any uid: its pid and temp files are in /tmp);
# the platform runs the pod as 10101 too.
USER 10101:10101
EXPOSE 8080
# Read-only root filesystem: nginx.conf puts the pid file and every temp path under /tmp.
VOLUME ["/tmp"]
HEALTHCHECK --interval=15s --timeout=3s --retries=3 CMD ["wget", "-q", "--spider", "http://127.0.0.1:8080/healthz"]
# nginx itself as PID 1 (it is an init-aware master process); SIGQUIT = finish in-flight requests, then exit.
# The image's entrypoint scripts are skipped: they rewrite /etc/nginx, which is read-only here.
STOPSIGNAL SIGQUIT
ENTRYPOINT ["nginx", "-g", "daemon off;"]
