// Badges (soulbound ERC-1155): who holds which badge, when it was awarded, transfers (mints), URIs.
import { ponder } from "ponder:registry";
import { badge, badgeOperator, badgeTransfer, badgeUri } from "ponder:schema";
import { zeroAddress } from "viem";
import { ADMIN_RULES_EVENTS, registerAdminEvents } from "../lib/admin-events.ts";

type Ctx = Parameters<Parameters<typeof ponder.on<"Badges:TransferSingle">>[1]>[0]["context"];

async function addBadgeBalance(context: Ctx, holder: `0x${string}`, badgeId: bigint, delta: bigint) {
  await context.db
    .insert(badge)
    .values({ holder, badgeId, balance: delta })
    .onConflictDoUpdate((row) => ({ balance: row.balance + delta }));
}

async function applyTransfer(
  context: Ctx,
  event: { id: string; block: { number: bigint; timestamp: bigint }; transaction: { hash: `0x${string}` } },
  index: number,
  args: { operator: `0x${string}`; from: `0x${string}`; to: `0x${string}`; id: bigint; value: bigint },
) {
  if (args.from !== zeroAddress) await addBadgeBalance(context, args.from, args.id, -args.value);
  if (args.to !== zeroAddress) await addBadgeBalance(context, args.to, args.id, args.value);
  await context.db.insert(badgeTransfer).values({
    id: index === 0 ? event.id : `${event.id}-${index}`,
    operator: args.operator,
    from: args.from,
    to: args.to,
    badgeId: args.id,
    value: args.value,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    txHash: event.transaction.hash,
  });
}

ponder.on("Badges:TransferSingle", async ({ event, context }) => {
  await applyTransfer(context, event, 0, event.args);
});

ponder.on("Badges:TransferBatch", async ({ event, context }) => {
  const { operator, from, to, ids, values } = event.args;
  for (const [i, id] of ids.entries()) {
    await applyTransfer(context, event, i, { operator, from, to, id, value: values[i] ?? 0n });
  }
});

ponder.on("Badges:BadgeAwarded", async ({ event, context }) => {
  const { holder, id } = event.args;
  const awarded = {
    awardedBlock: event.block.number,
    awardedAt: event.block.timestamp,
    awardTx: event.transaction.hash,
  };
  await context.db
    .insert(badge)
    .values({ holder, badgeId: id, balance: 0n, ...awarded })
    .onConflictDoUpdate(awarded);
});

ponder.on("Badges:URI", async ({ event, context }) => {
  const row = { uri: event.args.value, updatedBlock: event.block.number };
  await context.db
    .insert(badgeUri)
    .values({ id: event.args.id, ...row })
    .onConflictDoUpdate(row);
});

// Badges refuses setApprovalForAll (soulbound), so this never fires today; kept for completeness.
ponder.on("Badges:ApprovalForAll", async ({ event, context }) => {
  const { account, operator, approved } = event.args;
  await context.db.insert(badgeOperator).values({ account, operator, approved }).onConflictDoUpdate({ approved });
});

registerAdminEvents("Badges", [...ADMIN_RULES_EVENTS]);
