// The shopping assistant core: what the app's chat route imports.
export { answerFromRetrieval, NO_MODEL_NOTICE } from "./retrieval-answer.ts";
export {
  type AssistantDeps,
  type AssistantEvent,
  type ChatMessage,
  createAssistantClient,
  MAX_TOOL_ROUNDS,
  SYSTEM_PROMPT,
  streamAssistant,
  toolResultEnvelope,
} from "./run-assistant.ts";
export { type AssistantSettings, DEFAULT_ASSISTANT_MODEL, readAssistantSettings } from "./settings.ts";
export { type AssistantContext, assistantTools, type Proposal, runTool, type ToolName, toolSpecs } from "./tools.ts";
