# syntax=docker/dockerfile:1
# The gateway as a container: compiled JavaScript on plain node, production dependencies only, non-root.
#   docker build -t tramita-gateway .
#   docker run -p 4000:4000 -e DATABASE_URL=postgres://… -e JWT_SECRET=… tramita-gateway
# Without DATABASE_URL it runs the embedded PGlite with demo data in /app/.data (mount a volume to keep it).

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# Dependencies first (cached while the lock file is unchanged); the build runs once the sources are in.
RUN npm ci --no-audit --no-fund --ignore-scripts && npx patch-package --error-on-fail
COPY scripts ./scripts
COPY src ./src
COPY drizzle ./drizzle
COPY schema ./schema
RUN npm run build

FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# --ignore-scripts: the postinstall would rebuild; the patch it applies (postgres.js) is applied here.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npx patch-package --error-on-fail && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/scripts/start.js"]
