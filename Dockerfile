# accessgraph server image: API + explorer, embedded store by default, Neo4j via NEO4J_URI.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production ACCESSGRAPH_DATA_DIR=/data ACCESSGRAPH_HOST=0.0.0.0 ACCESSGRAPH_PORT=4000
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/cypher ./cypher
COPY --from=build /app/docs/schema ./docs/schema
COPY --from=build /app/api/schema.graphql ./api/schema.graphql
COPY --from=build /app/examples ./examples
COPY --from=build /app/ingest/aws/fixtures ./ingest/aws/fixtures
RUN useradd --system --uid 10001 accessgraph && mkdir -p /data && chown accessgraph /data
USER accessgraph
VOLUME ["/data"]
EXPOSE 4000
ENTRYPOINT ["node", "bin/accessgraph.js"]
CMD ["serve"]
