// Integration tests of the indexer, the local stack and the commerce modules (real Hardhat node,
// real PostgreSQL: embedded by default, the server at DATABASE_URL when it is set). They start
// processes on fixed ports, so files run one after another.
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
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ["verbose"],
  },
});
