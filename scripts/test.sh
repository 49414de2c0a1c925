#!/usr/bin/env bash
# Runs every test NeoCart has, from a fresh clone: installs dependencies with Node >= 22.13
# (scripts/with-node.sh provides it), then lint, type check (root and indexer), the generated-code
# check, the whole contract suite (Solidity fuzz/invariant tests with the `ci` profile + TypeScript
# flows) with coverage, failing under the coverage floor, and the integration tests (indexer,
# commerce, web routes, ML, assistant, tracking) against the embedded PostgreSQL 18 (or the server
# at DATABASE_URL when it is set), the browser tests in Debian's Chromium (installed with apt-get
# when missing) against a production build of the storefront, then the integration tests once
# more against a PostgreSQL server: NEOCART_TEST_SERVER_URL, by default the machine's
# postgresql://postgres@127.0.0.1:5432/test. When that default does not answer, the second pass is
# skipped with a notice; when NEOCART_TEST_SERVER_URL is set explicitly, it must answer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n== %s\n' "$*"; }

bash scripts/ensure-deps.sh

step "lint (Biome, solhint, prettier-plugin-solidity)"
npm run --silent lint

step "build contracts (also writes the artifact types the type check needs)"
npx hardhat build

step "type check (root, the indexer with Ponder's types, the web app)"
npx tsc --noEmit
npx tsc --noEmit -p indexer
npx tsc --noEmit -p tsconfig.web.json

step "security-relevant packages are at least their fixed versions (npm audit cannot run offline)"
node scripts/check-min-versions.mjs

step "generated ABIs and addresses match the artifacts"
npm run --silent check:contracts-gen

mkdir -p .neocart
step "contract tests with the ci profile (5,000 fuzz runs per property) and coverage"
npx hardhat test --test-profile ci --coverage | tee .neocart/test-output.log

step "coverage floor"
node scripts/check-coverage.mjs

step "integration tests: indexer, commerce, web routes, ML, assistant, tracking (real Hardhat node, Ponder, PostgreSQL: ${DATABASE_URL:+the server at DATABASE_URL}${DATABASE_URL:-embedded})"
npx vitest run --config test/vitest.config.ts

step "browser tests: Debian's Chromium against a production build on a stack of their own (ports 5571/8671/22171/3171)"
bash scripts/ensure-chromium.sh
npx vitest run --config test/e2e/vitest.e2e.config.ts

server="${NEOCART_TEST_SERVER_URL:-postgresql://postgres@127.0.0.1:5432/test}"
if [ -n "${DATABASE_URL:-}" ]; then
  exit 0 # the pass above already ran against a server
fi
if node -e 'const c=new (require("pg").Client)({connectionString:process.argv[1]});c.connect().then(()=>c.end()).catch(()=>process.exit(1))' "$server"; then
  step "integration tests again, against the PostgreSQL server at ${server}"
  DATABASE_URL="$server" NEOCART_REPEAT_PASS=1 npx vitest run --config test/vitest.config.ts
elif [ -n "${NEOCART_TEST_SERVER_URL:-}" ]; then
  echo "NEOCART_TEST_SERVER_URL=${server} does not answer; start that server or unset the variable" >&2
  exit 1
else
  step "skipped: no PostgreSQL server answers at ${server} (set NEOCART_TEST_SERVER_URL to test against one)"
fi
