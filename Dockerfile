# One multi-stage image recipe for every service:  docker build --build-arg SERVICE=registry .
# Stage 1 builds the whole workspace (contracts and the API client's types are generated here, never
# committed: the client's step runs the gateway's sources with tsx, a development dependency this
# stage installs); stage 2 keeps production dependencies and the built output only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Every workspace the lock file names (packages, services, apps, tools), so npm ci can link them all.
COPY packages/ packages/
COPY services/ services/
COPY apps/ apps/
COPY tools/ tools/
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ARG SERVICE
ENV NODE_ENV=production LIENKET_SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/packages/ packages/
COPY --from=build /app/services/ services/
# The portal's built files only (the gateway serves them); its build tooling stays behind.
COPY --from=build /app/apps/portal/package.json apps/portal/package.json
COPY --from=build /app/apps/portal/dist/ apps/portal/dist/
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
USER node
# The telemetry preload must load before any instrumented module.
CMD ["sh", "-c", "exec node -r @lienket/platform/telemetry services/${LIENKET_SERVICE}/dist/main.js"]
