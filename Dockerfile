# One image for every JointCheck service; docker-compose.yml picks the entry point per container.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY kernel kernel
COPY gateway gateway
COPY subgraphs subgraphs
COPY connectors connectors
COPY scripts scripts
COPY operations operations
# The development identity provider (issue I): compiled with the scripts that may start it; never run in production.
COPY idp idp
# The public page and the dashboard (web/): built by Vite into dist/web, served by the gateway at /.
COPY web web
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# The stored operations (operations/*.graphql): the joint service sends them, the registry checks them.
COPY --from=build /app/operations operations
# Connector mappings (connectors/*/*.yaml): a connector-backed department reads its mapping at start.
COPY --from=build /app/connectors connectors
# The holiday notices' year files (YYYY.json) the joint service counts working days on (R11, R25):
# tsc copies no JSON into dist/, and the joint service finds them here, beside package.json
# (JOINTCHECK_CALENDAR_DIR names another folder).
COPY --from=build /app/subgraphs/joint/calendar/data subgraphs/joint/calendar/data
COPY package.json ./
# The gateway keeps its last good supergraph in /state, the health system's stand-in its database
# in /data (volumes in docker-compose.yml); they run as node.
RUN mkdir -p /state /data && chown node:node /state /data
USER node
EXPOSE 4000
CMD ["node", "dist/gateway/main.js"]
