# syntax=docker/dockerfile:1
# API (management API /api/* and the relay /v1/*). Build from the repository root:
#   docker build -f docker/api.Dockerfile -t your-api/api .
# Run: docker run -p 3000:3000 -v "$PWD/data:/data" -e SESSION_SECRET=... your-api/api
# Configuration is the environment (PORT, SQL_DSN, REDIS_CONN_STRING, SESSION_SECRET, SQLITE_PATH, ...).

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV CI=true
# Toolchain for better-sqlite3 when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY . .
# Install scripts off, then build only the native module the API needs.
# `npm install` from the lock file rather than `npm ci`: see .ci/run (the lock cannot list every platform's
# optional packages). Install scripts off, then build only the native module the API needs.
RUN npm install --no-audit --no-fund --ignore-scripts \
 && npm rebuild better-sqlite3
RUN npm run build:api
# Production dependencies only: without the web workspace (next, react) and the dev tools (jest, nx, swc).
RUN rm -rf apps/web && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    SQLITE_PATH=/data/one-api.db
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/libs ./libs
COPY --from=build --chown=node:node /app/apps/api/package.json ./apps/api/package.json
# Packages whose version differs from a copy hoisted to the root (e.g. ipaddr.js 2 beside express's 1) live here.
COPY --from=build --chown=node:node /app/apps/api/node_modules ./apps/api/node_modules
COPY --from=build --chown=node:node /app/apps/api/dist ./apps/api/dist
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/status').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Node flags: apps/api/node-flags.json (a test keeps this line equal to it).
CMD ["node", "--max-semi-space-size=8", "apps/api/dist/main.js"]
