# Photobook's image: one build for every role and both stores (MONGODB_URI set: MongoDB; unset: the
# embedded store in DATA_DIR=/app/data, e.g. `docker run -v photobook-data:/app/data ...`).

ARG NODE_VERSION=20

# --- build: the full dependency tree, the Angular client and the server bundle -------------------------
# The full (non-slim) image has python3, make and g++, which better-sqlite3 needs when no prebuilt
# binary fits. docker-compose.yml's `migrate` tool runs this stage (it has the scripts and dev tools).
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
ENV NG_CLI_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false
# Dependencies first: this layer is rebuilt only when the lockfile changes. (No BuildKit-only syntax
# in this file: Debian's docker-compose 1.29 builds with the classic builder.)
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- prod-deps: the same node_modules without dev dependencies (native builds kept) -------------------
FROM build AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund

# --- runtime ----------------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# libjemalloc2: sharp's memory goes back to the system after a burst of large photos (glibc kept
#   450 MB of a 1 GB peak 20 s later, jemalloc 134 MB; measured in shared/DESIGN.md).
# perl: ExifTool (inside exiftool-vendored) runs on it to strip metadata from the archive copies.
# tini: PID 1 that forwards SIGTERM to node and reaps ExifTool's exited perl processes.
# procps: `ps` and `top` for whoever looks into a running replica.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 perl procps tini \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(dpkg -L libjemalloc2 | grep '/libjemalloc\.so\.2$')" /usr/local/lib/libjemalloc.so.2
# The same path on amd64 and arm64 (the symlink above points into the architecture's lib folder).
# MALLOC_CONF as scripts/allocator.mjs sets it for `npm start` (one arena, no thread caches, freed
# pages returned within 30 ms, blocks above 256 KiB at once; measured there).
ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2 \
    MALLOC_CONF=narenas:1,tcache:false,background_thread:true,dirty_decay_ms:30,muzzy_decay_ms:0,oversize_threshold:262145
# Fail the build, rather than run without it, if jemalloc did not load.
RUN node -e "process.exit(require('fs').readFileSync('/proc/self/maps', 'utf8').includes('libjemalloc') ? 0 : 1)"

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data \
    STATIC_DIR=/app/dist/client/browser
WORKDIR /app
# Code and dependencies belong to root and are read-only for the server; only DATA_DIR is its own.
COPY --from=prod-deps /app/package.json ./package.json
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data

# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# /healthz answers while the process is alive (no curl in this image: node's own fetch).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# scripts/allocator.mjs NODE_FLAGS: a small young generation, and no full collection below 64 MB (measured there).
CMD ["node", "--max-semi-space-size=1", "--initial-old-space-size=64", "--enable-source-maps", "dist/server/main.js"]
