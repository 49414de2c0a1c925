// One entry point for every provider's webhooks. Order of work, and why:
// 1. verify the signature on the raw bytes (a parsed-and-reserialized body would not verify);
// 2. in ONE transaction: insert the event id into commerce.webhook_events (the primary key turns
//    a duplicate — retry, replay, concurrent delivery — into a no-op), apply its effect, store the
//    outcome; 3. answer 2xx only after the commit. If the database is down we answer 503 so the
//    provider retries; if we crash after the commit the retry finds the event id and does nothing.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { webhookEvents } from "../db/schema.ts";
import { applyEvent, type EventOutcome } from "./apply-event.ts";
import { ProviderRequestError, WebhookRejectedError } from "./errors.ts";
import type { NormalizedEvent, PaymentProvider, WebhookHeaders } from "./provider.ts";

export type WebhookResponse = {
  status: number;
  body: { received: boolean; duplicate?: boolean; outcome?: EventOutcome; error?: string };
};

/** JSON with bigints as strings: the payload column is jsonb. */
function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));
}

export async function recordAndApply(
  db: Db,
  provider: PaymentProvider,
  event: NormalizedEvent,
): Promise<{ duplicate: boolean; outcome?: EventOutcome }> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(webhookEvents)
      .values({
        provider: provider.name,
        eventId: event.eventId,
        type: event.providerType,
        payload: toJson(event.payload),
      })
      .onConflictDoNothing()
      .returning({ eventId: webhookEvents.eventId });
    if (inserted.length === 0) return { duplicate: true };
    const outcome = await applyEvent(tx, provider.name, event);
    await tx
      .update(webhookEvents)
      .set({ outcome })
      .where(sql`${webhookEvents.provider} = ${provider.name} and ${webhookEvents.eventId} = ${event.eventId}`);
    return { duplicate: false, outcome };
  });
}

export async function handleWebhook(
  db: Db,
  provider: PaymentProvider,
  rawBody: Buffer,
  headers: WebhookHeaders,
  now: Date = new Date(),
): Promise<WebhookResponse> {
  let event: NormalizedEvent;
  try {
    event = await provider.verifyWebhook(rawBody, headers, now);
  } catch (error) {
    if (error instanceof WebhookRejectedError) {
      return { status: 400, body: { received: false, error: error.message } };
    }
    if (error instanceof ProviderRequestError) {
      return { status: 503, body: { received: false, error: `${error.message} Retry later.` } };
    }
    throw error;
  }
  try {
    const result = await recordAndApply(db, provider, event);
    return { status: 200, body: { received: true, duplicate: result.duplicate, outcome: result.outcome } };
  } catch (error) {
    // Nothing was committed: tell the provider to retry rather than acknowledge what we did not store.
    return {
      status: 503,
      body: {
        received: false,
        error: `Could not store the event (${(error as Error).message}); nothing was recorded, retry later.`,
      },
    };
  }
}
