# The sample API as docker-compose.redis-sentinel.yml runs it: built in one stage, run from the
# compiled output with production dependencies only, as the unprivileged `node` user.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# Node runs as PID 1 and gets SIGTERM itself (no npm or shell in between), then drains for SHUTDOWN_GRACE_MS.
CMD ["node", "dist/apps/api/src/main.js"]
