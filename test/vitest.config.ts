// Integration tests of the indexer, the local stack and the commerce modules (real Hardhat node,
// real PostgreSQL: embedded by default, the server at DATABASE_URL when it is set). Each file
// starts its processes on ports of its own and uses a database of its own, so two files run at a
// time (NEOCART_TEST_WORKERS to change): most of a file's time is spent waiting on a chain, an
// indexer or a restart, and one at a time left a core idle (10 min against 5.4 min here).
import { defineConfig } from "vitest/config";

const at = (file: string) => new URL(`../${file}`, import.meta.url).pathname;

export default defineConfig({
  resolve: {
    // Only test/indexer/handlers.test.ts imports the handler files outside Ponder.
    alias: {
      "ponder:registry": at("test/indexer/support/recording-registry.ts"),
      "ponder:schema": at("indexer/ponder.schema.ts"),
    },
  },
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: [
      "test/indexer/**/*.test.ts",
      "test/commerce/**/*.test.ts",
      "test/web/**/*.test.ts",
      "test/ml/**/*.test.ts",
      "test/assistant/**/*.test.ts",
      "test/tracking/**/*.test.ts",
    ],
    fileParallelism: true,
    maxWorkers: Number(process.env.NEOCART_TEST_WORKERS ?? 2),
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ["verbose"],
  },
});
