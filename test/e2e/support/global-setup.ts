// Starts the e2e stack once for the whole run (or attaches to one started with
// `node scripts/web/start-web-stack.ts` when NEOCART_E2E_ATTACH=1) and hands its description
// to the test files through vitest's provide/inject (see stack.ts).
import type { TestProject } from "vitest/node";
import "./provided.ts";
import { attachToWebStack, startWebStack, type WebStackInfo } from "../../../scripts/web/start-web-stack.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.NEOCART_E2E_ATTACH === "1") {
    const info = await attachToWebStack();
    if (!info) {
      throw new Error(
        "NEOCART_E2E_ATTACH=1 but no e2e stack answers; start one with `node scripts/web/start-web-stack.ts` or unset it.",
      );
    }
    console.log(`e2e: attached to the running stack at ${info.urls.app}`);
    project.provide("webStack", info);
    return async () => {};
  }
  const started = performance.now();
  const stack = await startWebStack({ verbose: process.env.NEOCART_E2E_VERBOSE === "1" });
  const { stop, ...info } = stack;
  console.log(
    `e2e: stack up in ${((performance.now() - started) / 1000).toFixed(1)}s (${Object.entries(info.timings)
      .map(([k, v]) => `${k} ${v}s`)
      .join(", ")})`,
  );
  project.provide("webStack", info satisfies WebStackInfo);
  return stop;
}
