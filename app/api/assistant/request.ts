// What the chat route accepts, and who and where the asker is: the conversation (validated, size
// bounded), the session from the cookie (optional: order status needs one), and the language and
// display currency from the preference cookies, read from the request itself so the handler works
// the same when called directly (tests) and inside Next.
import { z } from "zod";
import type { AssistantEvent } from "../../../lib/assistant/index.ts";
import { getSession, type RateLimit, readSessionToken } from "../../../lib/auth/index.ts";
import type { Db } from "../../../lib/db/client.ts";
import {
  CURRENCY_COOKIE,
  DEFAULT_CURRENCY,
  type DisplayCurrency,
  isDisplayCurrency,
  isLocale,
  LOCALE_COOKIE,
  type Locale,
  localeFromAcceptLanguage,
} from "../../../lib/i18n/locales.ts";

/** Each answer can cost several model calls: a shopper gets this many questions a minute. */
export const ASSISTANT_RATE_LIMIT: RateLimit = { max: 12, windowSeconds: 60, what: "questions to the assistant" };

/** One frame of the route's event stream: an assistant event, or why the answer stopped. */
export type StreamFrame = AssistantEvent | { type: "error"; message: string };

export const MAX_MESSAGES = 20;
export const MAX_MESSAGE_CHARS = 2000;

export const assistantRequestSchema = z.strictObject({
  messages: z
    .array(
      z.strictObject({
        role: z.enum(["user", "assistant"], { error: 'each message\'s role must be "user" or "assistant"' }),
        content: z
          .string({ error: "each message needs a content string" })
          .trim()
          .min(1, "a message is empty: type a question")
          .max(MAX_MESSAGE_CHARS, `a message is longer than ${MAX_MESSAGE_CHARS} characters: shorten it`),
      }),
      { error: 'send { "messages": [{ "role": "user", "content": "…" }] }' },
    )
    .min(1, "send at least one message")
    .max(MAX_MESSAGES, `send at most the last ${MAX_MESSAGES} messages`)
    .refine((messages) => messages.at(-1)?.role === "user", "the last message must be the shopper's question"),
});

export type AssistantRequest = z.output<typeof assistantRequestSchema>;

function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function requestPreferences(request: Request): { locale: Locale; currency: DisplayCurrency } {
  const cookie = request.headers.get("cookie");
  const locale = cookieValue(cookie, LOCALE_COOKIE);
  const currency = cookieValue(cookie, CURRENCY_COOKIE);
  return {
    locale: isLocale(locale) ? locale : localeFromAcceptLanguage(request.headers.get("accept-language")),
    currency: isDisplayCurrency(currency) ? currency : DEFAULT_CURRENCY,
  };
}

export async function requestUserId(db: Db, request: Request): Promise<string | null> {
  const token = readSessionToken(request.headers.get("cookie"));
  if (!token) return null;
  return (await getSession(db, token))?.userId ?? null;
}
