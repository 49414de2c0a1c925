// The fraud model's score for one case of the admin fraud queue (lib/dashboards/fraud-queue.ts):
// a payment case is scored on its order, a buyer case on the buyer's latest order. Null when the
// case has no order to score (a buyer whose orders were deleted since the queue was read).
import { z } from "zod";
import type { FraudCase } from "../dashboards/fraud-queue.ts";
import type { Db } from "../db/client.ts";
import { type FraudScore, fraudScore, OrderNotFoundError } from "../ml/index.ts";
import type { ModelOptions } from "../ml/model-registry.ts";

async function latestOrderOf(db: Db, userId: string): Promise<string | null> {
  const { rows } = await db.$client.query<{ id: string }>(
    "select id from commerce.orders where user_id = $1 order by created_at desc, id desc limit 1",
    [userId],
  );
  return rows[0]?.id ?? null;
}

export async function scoreFraudCase(
  db: Db,
  fraudCase: Pick<FraudCase, "kind" | "ref">,
  options: ModelOptions = {},
): Promise<FraudScore | null> {
  const ref = z.uuid("a fraud case refers to an order or user id (UUID)").parse(fraudCase.ref);
  const orderId = fraudCase.kind === "payment" ? ref : await latestOrderOf(db, ref);
  if (!orderId) return null;
  try {
    return await fraudScore(db, orderId, options);
  } catch (error) {
    if (error instanceof OrderNotFoundError) return null;
    throw error;
  }
}
