// TestStablecoin (local chains only): balances, transfers and allowances. Registered only when the
// deployment record has the contract, since production records do not.
import { ponder } from "ponder:registry";
import { stablecoinAllowance, stablecoinBalance, stablecoinTransfer } from "ponder:schema";
import { registerAdminEvents } from "../lib/admin-events.ts";
import { applyApproval, applyTransfer } from "../lib/erc20.ts";
import { loadIndexerSettings } from "../lib/settings.ts";

const tables = { balance: stablecoinBalance, transfer: stablecoinTransfer, allowance: stablecoinAllowance };

if (loadIndexerSettings().contracts.TestStablecoin) {
  ponder.on("TestStablecoin:Transfer", async ({ event, context }) => {
    await applyTransfer(context, tables, event);
  });

  ponder.on("TestStablecoin:Approval", async ({ event, context }) => {
    await applyApproval(context, stablecoinAllowance, event);
  });

  registerAdminEvents("TestStablecoin", ["EIP712DomainChanged"]);
}
