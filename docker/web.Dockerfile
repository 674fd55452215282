# syntax=docker/dockerfile:1
# Web console (Next.js). Build from the repository root:
#   docker build -f docker/web.Dockerfile -t your-api/web .
# Run: docker run -p 3001:3001 -e API_BASE_URL=http://api:3000 your-api/web
# API_BASE_URL is read at request time (the proxy of /api, /v1, /v1beta, /mj, /suno, /dashboard, /pg),
# so the same image works against any API.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    CI=true
COPY . .
# No install scripts: the web needs no native build (Next's SWC and sharp come as prebuilt optional packages).
RUN npm install --no-audit --no-fund --ignore-scripts
# The workspace libraries (the web imports @your-api/contracts).
RUN npm run build:libs
# Standalone output: .next/standalone/apps/web/server.js plus a minimal node_modules.
RUN NEXT_OUTPUT=standalone npm run build -w @your-api/web

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3001 \
    API_BASE_URL=http://api:3000
COPY --from=build --chown=node:node /app/apps/web/.next/standalone ./
COPY --from=build --chown=node:node /app/apps/web/.next/static ./apps/web/.next/static
COPY --from=build --chown=node:node /app/apps/web/public ./apps/web/public
USER node
EXPOSE 3001
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3001)+'/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "apps/web/server.js"]
