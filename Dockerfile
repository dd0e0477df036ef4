# syntax=docker/dockerfile:1
# The production images (README, "Production deployment (beyond one machine)"):
#   target `runtime` (the default, last stage): the production build served by `next start`, production
#                    dependencies only, as the unprivileged `node` user;
#   target `migrate`: the one-shot `npm run db:migrate` (Prisma's wasm schema engine through the pg driver
#                    adapter; it needs the dev install: tsx and @prisma/schema-engine-wasm).
# Nothing downloads Prisma's native engines: every `npm ci` runs with --ignore-scripts (so
# @prisma/engines' postinstall never fetches a schema-engine binary), and the project's own postinstall
# (`tsx scripts/db/generate.ts`, which points the Prisma CLI at the wasm engine) is run explicitly.
# Not built here (no Docker on the machine this was written on); see the README for what was run.

# The Node major CI tests with (`engines`: >= 20.19). Debian slim (glibc), so the prebuilt
# @node-rs/argon2 binary in the lock file applies.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Every dependency, dev ones included (next build's TypeScript, tsx, the wasm schema engine).
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts

# The source and the generated Prisma client: package.json's postinstall, which `npm ci --ignore-scripts`
# skipped (scripts/db/generate.ts; it points the Prisma CLI at the wasm engine when no native one exists).
FROM deps AS source
COPY . .
RUN npm run postinstall

# The production build.
FROM source AS build
RUN node_modules/.bin/next build && rm -rf .next/cache

# `npm run db:migrate` against DATABASE_URL (scripts/db/migrate.ts). It reads the environment through
# lib/env.ts like the app, so it gets the app's environment (docker-compose.yml).
FROM source AS migrate
USER node
CMD ["npm", "run", "db:migrate"]

# Production dependencies only: what `next start` loads at run time (next, react, @prisma/client,
# pg, the externals in next.config.mjs' serverExternalPackages). The generated Prisma client is
# compiled into .next by the build.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM base AS runtime
ENV NODE_ENV=production
COPY --from=prod-deps /app/node_modules ./node_modules
# package.json: /api/health reads the version from it; next.config.mjs: headers, externals.
COPY --from=build /app/package.json /app/next.config.mjs ./
COPY --from=build /app/public ./public
COPY --from=build /app/.next ./.next
# The code stays root-owned and read-only to the app; only Next's run-time cache and the local
# document store (DOCUMENTS_DIR in docker-compose.yml, a volume: docker copies this folder's owner
# into a new one) are writable.
RUN mkdir -p .next/cache documents && chown node:node .next/cache documents
USER node
EXPOSE 3000
# Exec form: `next start` gets the stop signal itself (compose adds an init process, `init: true`).
CMD ["node_modules/.bin/next", "start", "--hostname", "0.0.0.0", "--port", "3000"]
