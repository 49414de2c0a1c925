// The re-mint sweep, as the running app and a periodic job call it: points burned for fiat orders
// that ended unpaid or refunded are owed back (status remint_due, set in the webhook's own
// transaction) and minted here. It never throws: a chain that is down, or a points service that is
// not configured, leaves the debts owed for the next sweep and says so in the log, so a webhook's
// answer never depends on the chain.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { remintAllOwedPoints } from "./points-redemption.ts";
import { loadPointsService, type PointsService } from "./points-service.ts";
import { pointsRedemptions } from "./tables.ts";

export type SweepOutcome =
  | { ran: false; reason: "nothing_owed" | "already_running" | "no_points_service"; error?: string }
  | { ran: true; reminted: string[]; failed: { orderId: string; error: string }[] };

// One sweep at a time per process: webhooks arrive in bursts and each would otherwise start one.
let running: Promise<SweepOutcome> | undefined;

export async function sweepOwedPoints(
  db: Db,
  options: { loadService?: () => PointsService; log?: (line: string) => void } = {},
): Promise<SweepOutcome> {
  if (running) return { ran: false, reason: "already_running" };
  const log = options.log ?? ((line: string) => console.error(line));
  running = (async (): Promise<SweepOutcome> => {
    try {
      // Checked first so a deployment without a points service is not nagged on every webhook.
      const [owed] = await db
        .select({ orderId: pointsRedemptions.orderId })
        .from(pointsRedemptions)
        .where(eq(pointsRedemptions.status, "remint_due"))
        .limit(1);
      if (!owed) return { ran: false, reason: "nothing_owed" };
      let service: PointsService;
      try {
        service = (options.loadService ?? loadPointsService)();
      } catch (error) {
        log(`points re-mint: points are owed back but the points service is not usable: ${(error as Error).message}`);
        return { ran: false, reason: "no_points_service", error: (error as Error).message };
      }
      const result = await remintAllOwedPoints(db, service);
      for (const { orderId, error } of result.failed) {
        log(`points re-mint: order ${orderId} still owed (next sweep retries): ${error}`);
      }
      return { ran: true, ...result };
    } catch (error) {
      log(`points re-mint sweep failed (next sweep retries): ${(error as Error).message}`);
      return { ran: true, reminted: [], failed: [{ orderId: "*", error: (error as Error).message }] };
    } finally {
      running = undefined;
    }
  })();
  return running;
}
