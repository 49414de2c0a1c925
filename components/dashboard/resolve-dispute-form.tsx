"use client";
// The arbiter's split of a disputed order: the buyer's share in basis points (slider and number
// kept in step), sent as Escrow.resolveDispute(orderId, terms, buyerBps).
import { useId, useState } from "react";
import type { Address, Hex } from "viem";
import { useWriteContract } from "wagmi";
import { escrowAbi } from "../../lib/contracts/abis.ts";
import type { EscrowTerms } from "../../lib/dashboards/escrow-terms.ts";
import { orderStruct } from "./escrow-call.ts";
import { TxStatus, type TxStrings } from "./tx-status.tsx";
import { useChainTx } from "./use-chain-tx.ts";
import { WalletGate, type WalletGateStrings } from "./wallet-gate.tsx";

export type ResolveStrings = {
  buyerShare: string;
  /** "{buyer}% to the buyer, {seller}% to the seller" */
  split: string;
  resolve: string;
  invalid: string;
  gate: WalletGateStrings;
  tx: TxStrings;
};

export function ResolveDisputeForm(props: {
  chainId: number;
  escrow: Address;
  orderId: Hex;
  state: string;
  terms: EscrowTerms;
  explorerUrl?: string;
  strings: ResolveStrings;
}) {
  const id = useId();
  const [bps, setBps] = useState(5000);
  const { writeContractAsync } = useWriteContract();
  const tx = useChainTx(props.state);
  const s = props.strings;
  const valid = Number.isInteger(bps) && bps >= 0 && bps <= 10_000;
  const percent = (n: number) => (n / 100).toFixed(2);
  return (
    <WalletGate chainId={props.chainId} strings={s.gate}>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid) return;
          void tx.run(() =>
            writeContractAsync({
              address: props.escrow,
              abi: escrowAbi,
              functionName: "resolveDispute",
              args: [props.orderId, orderStruct(props.terms), bps],
              chainId: props.chainId,
            }),
          );
        }}
      >
        <label htmlFor={`${id}-range`}>{s.buyerShare}</label>
        <div className="row">
          <input
            id={`${id}-range`}
            type="range"
            min={0}
            max={10_000}
            step={50}
            value={valid ? bps : 0}
            onChange={(e) => setBps(Number(e.target.value))}
            aria-describedby={`${id}-split`}
          />
          <input
            type="number"
            min={0}
            max={10_000}
            step={1}
            value={Number.isNaN(bps) ? "" : bps}
            aria-label={s.buyerShare}
            data-testid="split-bps"
            style={{ width: "7rem" }}
            onChange={(e) => setBps(e.target.value === "" ? Number.NaN : Number(e.target.value))}
          />
        </div>
        <p id={`${id}-split`} className={valid ? "muted" : "error"} aria-live="polite">
          {valid ? s.split.replace("{buyer}", percent(bps)).replace("{seller}", percent(10_000 - bps)) : s.invalid}
        </p>
        <button type="submit" data-testid="resolve-dispute" disabled={!valid || tx.busy}>
          {s.resolve}
        </button>
        <TxStatus phase={tx.phase} error={tx.error} hash={tx.hash} explorerUrl={props.explorerUrl} strings={s.tx} />
      </form>
    </WalletGate>
  );
}
