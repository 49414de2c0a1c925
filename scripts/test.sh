#!/usr/bin/env bash
# Runs every test NeoCart has, from a fresh clone: installs dependencies with Node >= 22.13
# (scripts/with-node.sh provides it), then lint, type check (root and indexer), the generated-code
# check, the whole contract suite (Solidity fuzz/invariant tests with the `ci` profile + TypeScript
# flows) with coverage, failing under the coverage floor, and the indexer integration tests against
# the embedded PostgreSQL (or the server at DATABASE_URL when it is set).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n== %s\n' "$*"; }

bash scripts/ensure-deps.sh

step "lint (Biome, solhint, prettier-plugin-solidity)"
npm run --silent lint

step "build contracts (also writes the artifact types the type check needs)"
npx hardhat build

step "type check (root, then the indexer with Ponder's types)"
npx tsc --noEmit
npx tsc --noEmit -p indexer

step "generated ABIs and addresses match the artifacts"
npm run --silent check:contracts-gen

mkdir -p .neocart
step "contract tests with the ci profile (5,000 fuzz runs per property) and coverage"
npx hardhat test --test-profile ci --coverage | tee .neocart/test-output.log

step "coverage floor"
node scripts/check-coverage.mjs

step "indexer and local-stack integration tests (real Hardhat node, Ponder, PostgreSQL: ${DATABASE_URL:+the server at DATABASE_URL}${DATABASE_URL:-embedded})"
npx vitest run --config test/vitest.config.ts
