// Escrow: orders and their full state history, credits, fees, withdrawals, settings.
import { ponder } from "ponder:registry";
import { contractSetting, escrowOrder, escrowOrderEvent, escrowWithdrawal, poolOrder } from "ponder:schema";
import {
  ADMIN_RULES_EVENTS,
  logAdminEvent,
  recordTokenAcceptance,
  registerAdminEvents,
  updateSetting,
} from "../lib/admin-events.ts";
import { addCredit, addFee, recordWithdrawal } from "../lib/credits.ts";

const CONTRACT = "Escrow";

type Meta = {
  id: string;
  block: { number: bigint; timestamp: bigint; hash: `0x${string}` };
  transaction: { hash: `0x${string}`; from: `0x${string}` };
  log: { logIndex: number };
};

/** The columns every history row shares. */
function historyRow(event: Meta, orderId: `0x${string}`, kind: string) {
  return {
    id: event.id,
    orderId,
    kind,
    actor: event.transaction.from,
    blockNumber: event.block.number,
    blockHash: event.block.hash,
    timestamp: event.block.timestamp,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  };
}

function touched(event: Meta) {
  return { updatedBlock: event.block.number, updatedAt: event.block.timestamp, updatedTx: event.transaction.hash };
}

ponder.on("Escrow:OrderPaid", async ({ event, context }) => {
  const a = event.args;
  const fromPool = await context.db.find(poolOrder, { id: a.orderId });
  await context.db.insert(escrowOrder).values({
    id: a.orderId,
    buyer: a.buyer,
    seller: a.seller,
    token: a.token,
    amount: a.amount,
    fee: a.fee,
    affiliate: a.affiliate,
    affiliateBps: a.affiliateBps,
    cashback: a.cashback,
    productId: a.productId,
    deliveryWindow: BigInt(a.deliveryWindow),
    pointsRedeemed: a.pointsRedeemed,
    poolId: fromPool?.poolId ?? null,
    state: "paid",
    deadline: BigInt(a.shipBy),
    shipBy: BigInt(a.shipBy),
    createdBlock: event.block.number,
    createdAt: event.block.timestamp,
    createdTx: event.transaction.hash,
    ...touched(event),
  });
  await context.db.insert(escrowOrderEvent).values({
    ...historyRow(event, a.orderId, "paid"),
    amount: a.amount,
    fee: a.fee,
    affiliate: a.affiliate,
    cashback: a.cashback,
    deadline: BigInt(a.shipBy),
  });
});

ponder.on("Escrow:OrderShipped", async ({ event, context }) => {
  const { orderId, releaseAt } = event.args;
  await context.db
    .update(escrowOrder, { id: orderId })
    .set({ state: "shipped", releaseAt: BigInt(releaseAt), deadline: BigInt(releaseAt), ...touched(event) });
  await context.db
    .insert(escrowOrderEvent)
    .values({ ...historyRow(event, orderId, "shipped"), deadline: BigInt(releaseAt) });
});

ponder.on("Escrow:OrderCompleted", async ({ event, context }) => {
  const a = event.args;
  const order = await context.db.update(escrowOrder, { id: a.orderId }).set({
    state: "completed",
    deadline: null,
    sellerProceeds: a.sellerProceeds,
    feeCharged: a.fee,
    affiliateShare: a.affiliateShare,
    cashbackMinted: a.cashback,
    confirmedByBuyer: a.confirmedByBuyer,
    ...touched(event),
  });
  await addCredit(context, order.token, order.seller, a.sellerProceeds, event.block);
  await addFee(context, order.token, a.fee);
  await addCredit(context, order.token, order.affiliate, a.affiliateShare, event.block);
  await context.db.insert(escrowOrderEvent).values({
    ...historyRow(event, a.orderId, "completed"),
    toSeller: a.sellerProceeds,
    fee: a.fee,
    affiliateShare: a.affiliateShare,
    cashback: a.cashback,
    confirmedByBuyer: a.confirmedByBuyer,
  });
});

ponder.on("Escrow:OrderDisputed", async ({ event, context }) => {
  const { orderId, arbitrateBy } = event.args;
  await context.db
    .update(escrowOrder, { id: orderId })
    .set({ state: "disputed", arbitrateBy: BigInt(arbitrateBy), deadline: BigInt(arbitrateBy), ...touched(event) });
  await context.db
    .insert(escrowOrderEvent)
    .values({ ...historyRow(event, orderId, "disputed"), deadline: BigInt(arbitrateBy) });
});

ponder.on("Escrow:DisputeResolved", async ({ event, context }) => {
  const a = event.args;
  const order = await context.db.update(escrowOrder, { id: a.orderId }).set({
    state: "resolved",
    deadline: null,
    buyerBps: a.buyerBps,
    refundedToBuyer: a.toBuyer,
    sellerProceeds: a.toSeller,
    feeCharged: a.fee,
    affiliateShare: a.affiliateShare,
    resolvedByArbiter: a.byArbiter,
    ...touched(event),
  });
  await addCredit(context, order.token, order.buyer, a.toBuyer, event.block);
  await addCredit(context, order.token, order.seller, a.toSeller, event.block);
  await addFee(context, order.token, a.fee);
  await addCredit(context, order.token, order.affiliate, a.affiliateShare, event.block);
  await context.db.insert(escrowOrderEvent).values({
    ...historyRow(event, a.orderId, "resolved"),
    buyerBps: a.buyerBps,
    toBuyer: a.toBuyer,
    toSeller: a.toSeller,
    fee: a.fee,
    affiliateShare: a.affiliateShare,
    byArbiter: a.byArbiter,
  });
});

ponder.on("Escrow:OrderRefunded", async ({ event, context }) => {
  const { orderId, amount } = event.args;
  const order = await context.db
    .update(escrowOrder, { id: orderId })
    .set({ state: "refunded", deadline: null, refundedToBuyer: amount, ...touched(event) });
  await addCredit(context, order.token, order.buyer, amount, event.block);
  await context.db.insert(escrowOrderEvent).values({ ...historyRow(event, orderId, "refunded"), toBuyer: amount });
});

ponder.on("Escrow:Withdrawn", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  const setting = await context.db.find(contractSetting, { id: CONTRACT });
  const isTreasury = setting?.treasury?.toLowerCase() === account.toLowerCase();
  const feePart = await recordWithdrawal(context, token, account, amount, isTreasury, event.block);
  await context.db.insert(escrowWithdrawal).values({
    id: event.id,
    token,
    account,
    amount,
    feePart,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    txHash: event.transaction.hash,
  });
});

ponder.on("Escrow:TreasurySet", async ({ event, context }) => {
  await logAdminEvent(context, CONTRACT, "TreasurySet", event);
  await updateSetting(context, CONTRACT, event.block.number, { treasury: event.args.treasury });
});

ponder.on("Escrow:TokenAcceptanceSet", ({ event, context }) => recordTokenAcceptance(context, CONTRACT, event));

registerAdminEvents(CONTRACT, [...ADMIN_RULES_EVENTS, "Paused", "Unpaused", "EIP712DomainChanged"]);
