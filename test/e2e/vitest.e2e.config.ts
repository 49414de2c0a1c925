// Browser tests (`npm run test:e2e`): Chromium against the e2e stack, which the global setup
// starts once (scripts/web/start-web-stack.ts) and stops at the end. Files run one after another:
// they share one app, one chain and one database.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/e2e/**/*.e2e.ts"],
    globalSetup: ["test/e2e/support/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["verbose"],
  },
});
