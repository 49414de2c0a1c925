// What a creator has earned, read from the indexer's views of the Escrow: every order whose
// signed terms name the creator's wallet as affiliate, the share each one credited (or will credit
// if it completes), and what the wallet can withdraw now. Nothing here is the app's own
// bookkeeping: the chain is the record of commission.
import { sql } from "drizzle-orm";
import { getAddress, type Hex } from "viem";
import { chainView, readChainViews } from "../chain/views.ts";
import type { Executor } from "../pricing/executor.ts";

/** Orders still open may yet complete: their share is the Escrow's formula on the signed terms. */
const OPEN_STATES = new Set(["paid", "shipped", "disputed"]);

export type CommissionStatus = "pending" | "credited" | "none";

export type AttributedOrder = {
  id: Hex;
  state: string;
  token: string;
  amount: bigint;
  bps: number;
  /** Credited share for a closed order, the expected share for an open one, 0 when refunded. */
  share: bigint;
  status: CommissionStatus;
  title: string | null;
  createdAt: Date;
};

export type TokenTotals = { token: string; pending: bigint; credited: bigint };
export type WalletCredit = { token: string; withdrawable: bigint; withdrawn: bigint; credited: bigint };

export type CreatorEarnings = {
  indexed: boolean;
  orders: AttributedOrder[];
  totals: TokenTotals[];
  credits: WalletCredit[];
};

/** The Escrow's own arithmetic: Math.mulDiv(amount - fee, affiliateBps, 10 000), rounded down. */
export function expectedAffiliateShare(amount: bigint, fee: bigint, bps: number): bigint {
  return ((amount - fee) * BigInt(bps)) / 10_000n;
}

type OrderRaw = {
  id: string;
  state: string;
  token: string;
  amount: string;
  fee: string;
  affiliate_bps: number;
  affiliate_share: string | null;
  title: string | null;
  created_at: string;
};

export async function readCreatorEarnings(
  db: Executor,
  viewsSchema: string,
  payoutAddress: string,
  limit = 200,
): Promise<CreatorEarnings> {
  const account = getAddress(payoutAddress).toLowerCase();
  const rows = await readChainViews<OrderRaw>(
    db,
    sql`select eo.id, eo.state, eo.token, eo.amount::text as amount, eo.fee::text as fee, eo.affiliate_bps,
               eo.affiliate_share::text as affiliate_share, eo.created_at::text as created_at,
               (select p.title from commerce.products p where p.chain_id_hash = eo.product_id limit 1) as title
          from ${chainView(viewsSchema, "escrow_order")} eo
         where eo.affiliate = ${account} and eo.affiliate_bps > 0
         order by eo.created_at desc, eo.id limit ${limit}`,
  );
  const credits = await readChainViews<{ token: string; withdrawable: string; withdrawn: string; credited: string }>(
    db,
    sql`select token, withdrawable::text as withdrawable, withdrawn::text as withdrawn, credited::text as credited
          from ${chainView(viewsSchema, "escrow_credit")} where account = ${account} order by token`,
  );
  const orders = (rows ?? []).map((r): AttributedOrder => {
    const amount = BigInt(r.amount);
    const open = OPEN_STATES.has(r.state);
    const share = open
      ? expectedAffiliateShare(amount, BigInt(r.fee), r.affiliate_bps)
      : BigInt(r.affiliate_share ?? "0");
    return {
      id: r.id.toLowerCase() as Hex,
      state: r.state,
      token: r.token.toLowerCase(),
      amount,
      bps: r.affiliate_bps,
      share,
      status: open ? "pending" : share > 0n ? "credited" : "none",
      title: r.title,
      createdAt: new Date(Number(r.created_at) * 1000),
    };
  });
  const totals = new Map<string, TokenTotals>();
  for (const o of orders) {
    const entry = totals.get(o.token) ?? { token: o.token, pending: 0n, credited: 0n };
    if (o.status === "pending") entry.pending += o.share;
    if (o.status === "credited") entry.credited += o.share;
    totals.set(o.token, entry);
  }
  return {
    indexed: rows !== undefined && credits !== undefined,
    orders,
    totals: [...totals.values()],
    credits: (credits ?? []).map((c) => ({
      token: c.token.toLowerCase(),
      withdrawable: BigInt(c.withdrawable),
      withdrawn: BigInt(c.withdrawn),
      credited: BigInt(c.credited),
    })),
  };
}
