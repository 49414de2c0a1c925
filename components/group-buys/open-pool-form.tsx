"use client";
// A seller opens a group buy for one of their listings from the connected payout wallet: the pool
// pays whoever opens it, so any other wallet is refused here before anything is signed. The terms
// are checked with the contract's limits first (lib/group-buys/pool-terms.ts); once mined, the new
// pool's page is linked (its id read from the PoolOpened event).
import { useState } from "react";
import { type Address, type Hex, parseEventLogs } from "viem";
import { useAccount, usePublicClient, useWriteContract } from "wagmi";
import { groupBuyAbi } from "../../lib/contracts/abis.ts";
import { poolTermsProblem, toPoolTerms } from "../../lib/group-buys/pool-terms.ts";

export type OpenPoolStrings = {
  product: string;
  unitPrice: string;
  minUnits: string;
  maxUnits: string;
  days: string;
  deliveryDays: string;
  open: string;
  connectPayout: string;
  signing: string;
  mining: string;
  opened: string;
  failed: string;
};

type Phase =
  | { kind: "idle" }
  | { kind: "busy"; label: string }
  | { kind: "done"; poolId: string }
  | { kind: "error"; message: string };

export function OpenPoolForm(props: {
  chainId: number;
  groupBuy: Address;
  payout: Address;
  listings: { productId: string; title: string }[];
  strings: OpenPoolStrings;
}) {
  const s = props.strings;
  const { address } = useAccount();
  const publicClient = usePublicClient({ chainId: props.chainId });
  const { writeContractAsync } = useWriteContract();
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });

  if (!address || address.toLowerCase() !== props.payout.toLowerCase()) {
    return <p className="notice">{s.connectPayout.replace("{address}", props.payout)}</p>;
  }

  async function submit(form: FormData) {
    const input = {
      productId: String(form.get("productId") ?? ""),
      unitPriceEth: String(form.get("unitPriceEth") ?? ""),
      minUnits: String(form.get("minUnits") ?? ""),
      maxUnits: String(form.get("maxUnits") ?? ""),
      days: String(form.get("days") ?? ""),
      deliveryDays: String(form.get("deliveryDays") ?? ""),
    };
    const problem = poolTermsProblem(input);
    if (problem) return setPhase({ kind: "error", message: problem });
    try {
      if (!publicClient) throw new Error("No connection to the chain.");
      // The deadline counts from the chain's clock, which may run ahead of this computer's.
      const block = await publicClient.getBlock();
      const terms = toPoolTerms(input, Number(block.timestamp));
      setPhase({ kind: "busy", label: s.signing });
      const hash: Hex = await writeContractAsync({
        address: props.groupBuy,
        abi: groupBuyAbi,
        functionName: "openPool",
        args: [terms],
        chainId: props.chainId,
      });
      setPhase({ kind: "busy", label: s.mining });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [opened] = parseEventLogs({ abi: groupBuyAbi, eventName: "PoolOpened", logs: receipt.logs });
      if (receipt.status !== "success" || !opened) throw new Error("The transaction reverted.");
      setPhase({ kind: "done", poolId: opened.args.poolId.toString() });
    } catch (error) {
      const e = error as { shortMessage?: string; message?: string };
      setPhase({
        kind: "error",
        message: s.failed.replace("{reason}", (e.shortMessage ?? e.message ?? "").split("\n")[0] ?? ""),
      });
    }
  }

  return (
    <form
      className="stack"
      data-testid="open-pool-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(new FormData(event.currentTarget));
      }}
    >
      <label>
        {s.product}
        <select name="productId" data-testid="open-pool-product" required>
          {props.listings.map((l) => (
            <option key={l.productId} value={l.productId}>
              {l.title}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <label>
          {s.unitPrice}
          <input name="unitPriceEth" inputMode="decimal" defaultValue="0.01" data-testid="open-pool-price" required />
        </label>
        <label>
          {s.minUnits}
          <input name="minUnits" type="number" min={1} defaultValue={5} data-testid="open-pool-min" required />
        </label>
        <label>
          {s.maxUnits}
          <input name="maxUnits" type="number" min={1} defaultValue={20} data-testid="open-pool-max" required />
        </label>
        <label>
          {s.days}
          <input name="days" type="number" min={1} max={365} defaultValue={7} data-testid="open-pool-days" required />
        </label>
        <label>
          {s.deliveryDays}
          <input name="deliveryDays" type="number" min={1} max={180} defaultValue={5} required />
        </label>
      </div>
      <p>
        <button type="submit" disabled={phase.kind === "busy"} data-testid="open-pool-button">
          {s.open}
        </button>
      </p>
      <p role="status" aria-live="polite" data-testid="open-pool-status">
        {phase.kind === "busy" && phase.label}
        {phase.kind === "done" && (
          <a href={`/group-buys/${phase.poolId}`} data-testid="open-pool-link">
            {s.opened.replace("{id}", phase.poolId)}
          </a>
        )}
      </p>
      {phase.kind === "error" && (
        <p className="error" role="alert" data-testid="open-pool-error">
          {phase.message}
        </p>
      )}
    </form>
  );
}
