// GroupBuy: pools, pledges (current units per pledger) and the pledge history.
import { ponder } from "ponder:registry";
import { pledge, pledgeEvent, pool, poolOrder } from "ponder:schema";
import {
  ADMIN_RULES_EVENTS,
  logAdminEvent,
  recordTokenAcceptance,
  registerAdminEvents,
  updateSetting,
} from "../lib/admin-events.ts";

const CONTRACT = "GroupBuy";

type Meta = { id: string; block: { number: bigint; timestamp: bigint }; transaction: { hash: `0x${string}` } };

function historyRow(event: Meta, poolId: bigint, pledger: `0x${string}`, kind: string) {
  return {
    id: event.id,
    poolId,
    pledger,
    kind,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    txHash: event.transaction.hash,
  };
}

ponder.on("GroupBuy:PoolOpened", async ({ event, context }) => {
  const a = event.args;
  await context.db.insert(pool).values({
    id: a.poolId,
    seller: a.seller,
    productId: a.productId,
    token: a.token,
    unitPrice: a.unitPrice,
    minUnits: BigInt(a.minUnits),
    maxUnits: BigInt(a.maxUnits),
    deadline: BigInt(a.deadline),
    deliveryWindow: a.deliveryWindow,
    feeBps: a.feeBps,
    cashbackBps: a.cashbackBps,
    pledgedUnits: 0n,
    filled: false,
    settledCount: 0,
    settledAmount: 0n,
    refundedCount: 0,
    refundedAmount: 0n,
    openedBlock: event.block.number,
    openedAt: event.block.timestamp,
    openedTx: event.transaction.hash,
  });
});

ponder.on("GroupBuy:Pledged", async ({ event, context }) => {
  const { poolId, pledger, amount } = event.args;
  const units = BigInt(event.args.units);
  const poolUnits = BigInt(event.args.poolUnits);
  const row = await context.db.update(pool, { id: poolId }).set((p) => ({
    pledgedUnits: poolUnits,
    filled: p.filled || poolUnits >= p.minUnits,
  }));
  await context.db
    .insert(pledge)
    .values({
      poolId,
      pledger,
      units,
      amount,
      settled: false,
      refunded: false,
      refundedAmount: 0n,
      updatedBlock: event.block.number,
      updatedAt: event.block.timestamp,
    })
    .onConflictDoUpdate((p) => ({
      units: p.units + units,
      amount: (p.units + units) * row.unitPrice,
      updatedBlock: event.block.number,
      updatedAt: event.block.timestamp,
    }));
  await context.db
    .insert(pledgeEvent)
    .values({ ...historyRow(event, poolId, pledger, "pledged"), units, amount, poolUnits });
});

ponder.on("GroupBuy:Unpledged", async ({ event, context }) => {
  const { poolId, pledger, amount } = event.args;
  const units = BigInt(event.args.units);
  const poolUnits = BigInt(event.args.poolUnits);
  const row = await context.db.update(pool, { id: poolId }).set({ pledgedUnits: poolUnits });
  await context.db.update(pledge, { poolId, pledger }).set((p) => ({
    units: p.units - units,
    amount: (p.units - units) * row.unitPrice,
    updatedBlock: event.block.number,
    updatedAt: event.block.timestamp,
  }));
  await context.db
    .insert(pledgeEvent)
    .values({ ...historyRow(event, poolId, pledger, "unpledged"), units, amount, poolUnits });
});

ponder.on("GroupBuy:PledgeRefunded", async ({ event, context }) => {
  const { poolId, pledger, amount } = event.args;
  await context.db.update(pool, { id: poolId }).set((p) => ({
    refundedCount: p.refundedCount + 1,
    refundedAmount: p.refundedAmount + amount,
  }));
  await context.db.update(pledge, { poolId, pledger }).set({
    refunded: true,
    refundedAmount: amount,
    updatedBlock: event.block.number,
    updatedAt: event.block.timestamp,
  });
  await context.db.insert(pledgeEvent).values({ ...historyRow(event, poolId, pledger, "refunded"), amount });
});

ponder.on("GroupBuy:PledgeSettled", async ({ event, context }) => {
  const { poolId, pledger, orderId, amount } = event.args;
  await context.db.update(pool, { id: poolId }).set((p) => ({
    settledCount: p.settledCount + 1,
    settledAmount: p.settledAmount + amount,
  }));
  await context.db.update(pledge, { poolId, pledger }).set({
    settled: true,
    orderId,
    updatedBlock: event.block.number,
    updatedAt: event.block.timestamp,
  });
  // Logged before the escrow's OrderPaid of the same transaction, which reads it.
  await context.db.insert(poolOrder).values({ id: orderId, poolId, pledger });
  await context.db.insert(pledgeEvent).values({ ...historyRow(event, poolId, pledger, "settled"), amount, orderId });
});

ponder.on("GroupBuy:PlatformFeeSet", async ({ event, context }) => {
  await logAdminEvent(context, CONTRACT, "PlatformFeeSet", event);
  await updateSetting(context, CONTRACT, event.block.number, { platformFeeBps: event.args.bps });
});

ponder.on("GroupBuy:CashbackSet", async ({ event, context }) => {
  await logAdminEvent(context, CONTRACT, "CashbackSet", event);
  await updateSetting(context, CONTRACT, event.block.number, { cashbackBps: event.args.bps });
});

ponder.on("GroupBuy:TokenAcceptanceSet", ({ event, context }) => recordTokenAcceptance(context, CONTRACT, event));

registerAdminEvents(CONTRACT, [...ADMIN_RULES_EVENTS, "Paused", "Unpaused"]);
