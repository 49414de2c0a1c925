// What the global setup hands to test files through vitest's provide/inject.
import type { WebStackInfo } from "../../../scripts/web/start-web-stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    webStack: WebStackInfo;
  }
}
