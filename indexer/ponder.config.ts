// Ponder's root is indexer/; the configuration lives at the repository root.
export { default } from "../ponder.config.ts";
