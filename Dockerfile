# One image for every JointCheck service; docker-compose.yml picks the entry point per container.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY gateway gateway
COPY subgraphs subgraphs
COPY connectors connectors
COPY scripts scripts
COPY operations operations
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# The stored operations (operations/*.graphql): the joint service sends them, the registry checks them.
COPY --from=build /app/operations operations
COPY package.json ./
# The gateway keeps its last good supergraph here (a volume in docker-compose.yml); it runs as node.
RUN mkdir -p /state && chown node:node /state
USER node
EXPOSE 4000
CMD ["node", "dist/gateway/main.js"]
