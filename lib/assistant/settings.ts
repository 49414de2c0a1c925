// Assistant settings from the environment (or any record of strings): any OpenAI-compatible server
// works, so the base URL and model are settings, not constants. No key means retrieval-only answers.
import { z } from "zod";

export type AssistantSettings = { apiKey: string | null; baseURL: string | null; model: string };

export const DEFAULT_ASSISTANT_MODEL = "gpt-4o-mini";

const schema = z.object({
  OPENAI_API_KEY: z.string().trim().optional(),
  OPENAI_BASE_URL: z.url({ error: "OPENAI_BASE_URL must be a URL such as https://api.openai.com/v1" }).optional(),
  OPENAI_MODEL: z.string().trim().min(1).optional(),
});

export function readAssistantSettings(env: Record<string, string | undefined> = process.env): AssistantSettings {
  const parsed = schema.parse({
    OPENAI_API_KEY: env.OPENAI_API_KEY || undefined,
    OPENAI_BASE_URL: env.OPENAI_BASE_URL || undefined,
    OPENAI_MODEL: env.OPENAI_MODEL || undefined,
  });
  return {
    apiKey: parsed.OPENAI_API_KEY || null,
    baseURL: parsed.OPENAI_BASE_URL ?? null,
    model: parsed.OPENAI_MODEL ?? DEFAULT_ASSISTANT_MODEL,
  };
}
