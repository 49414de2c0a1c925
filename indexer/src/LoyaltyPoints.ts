// LoyaltyPoints (ERC-20 with permit): balances, transfers (mint = cashback, burn = redemption), supply.
import { ponder } from "ponder:registry";
import { pointsAllowance, pointsBalance, pointsSupply, pointsTransfer } from "ponder:schema";
import { ADMIN_RULES_EVENTS, registerAdminEvents } from "../lib/admin-events.ts";
import { applyApproval, applyTransfer } from "../lib/erc20.ts";

const tables = { balance: pointsBalance, transfer: pointsTransfer, allowance: pointsAllowance };

ponder.on("LoyaltyPoints:Transfer", async ({ event, context }) => {
  const kind = await applyTransfer(context, tables, event);
  if (kind === "transfer") return;
  const value = event.args.value;
  const minted = kind === "mint" ? value : 0n;
  const burned = kind === "burn" ? value : 0n;
  await context.db
    .insert(pointsSupply)
    .values({ id: "supply", minted, burned, totalSupply: minted - burned })
    .onConflictDoUpdate((row) => ({
      minted: row.minted + minted,
      burned: row.burned + burned,
      totalSupply: row.totalSupply + minted - burned,
    }));
});

ponder.on("LoyaltyPoints:Approval", async ({ event, context }) => {
  await applyApproval(context, pointsAllowance, event);
});

registerAdminEvents("LoyaltyPoints", [...ADMIN_RULES_EVENTS, "EIP712DomainChanged"]);
