#!/usr/bin/env bash
# Runs every test NeoCart has, from a fresh clone: installs dependencies with Node >= 22.13
# (scripts/with-node.sh provides it), then lint, type check, the generated-code check, and the
# whole contract suite (Solidity fuzz/invariant tests with the `ci` profile + TypeScript flows)
# with coverage, failing under the coverage floor.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n== %s\n' "$*"; }

bash scripts/ensure-deps.sh

step "lint (Biome, solhint, prettier-plugin-solidity)"
npm run --silent lint

step "build contracts (also writes the artifact types the type check needs)"
npx hardhat build

step "type check"
npx tsc --noEmit

step "generated ABIs and addresses match the artifacts"
npm run --silent check:contracts-gen

mkdir -p .neocart
step "contract tests with the ci profile (5,000 fuzz runs per property) and coverage"
npx hardhat test --test-profile ci --coverage | tee .neocart/test-output.log

step "coverage floor"
node scripts/check-coverage.mjs
