"use client";
// The buyer's on-chain actions on an escrow order: confirm delivery (shipped orders) and open a
// dispute (paid or shipped). The status shown above comes from the indexer, so after the receipt
// the page refreshes until it moves.
import { useState } from "react";
import type { Address, Hex } from "viem";
import { useWriteContract } from "wagmi";
import { escrowAbi } from "../../lib/contracts/abis.ts";
import type { EscrowTerms } from "../../lib/dashboards/escrow-terms.ts";
import { orderStruct } from "../dashboard/escrow-call.ts";
import { TxStatus, type TxStrings } from "../dashboard/tx-status.tsx";
import { useChainTx } from "../dashboard/use-chain-tx.ts";
import { WalletGate, type WalletGateStrings } from "../dashboard/wallet-gate.tsx";

export type BuyerActionStrings = {
  confirm: string;
  dispute: string;
  disputeConfirm: string;
  gate: WalletGateStrings;
  tx: TxStrings;
};

export function EscrowBuyerActions(props: {
  chainId: number;
  escrow: Address;
  orderId: Hex;
  state: string;
  terms: EscrowTerms;
  explorerUrl?: string;
  strings: BuyerActionStrings;
}) {
  const { writeContractAsync } = useWriteContract();
  const tx = useChainTx(props.state);
  // Disputing freezes the order until the arbiter decides, so it takes a second, explicit click.
  const [confirmingDispute, setConfirmingDispute] = useState(false);
  const order = orderStruct(props.terms);
  const send = (functionName: "confirmDelivery" | "openDispute") =>
    tx.run(() =>
      writeContractAsync({
        address: props.escrow,
        abi: escrowAbi,
        functionName,
        args: [props.orderId, order],
        chainId: props.chainId,
      }),
    );
  return (
    <WalletGate chainId={props.chainId} expected={props.terms.buyer} strings={props.strings.gate}>
      <div className="row">
        {props.state === "shipped" && (
          <button
            type="button"
            data-testid="confirm-delivery"
            disabled={tx.busy}
            onClick={() => send("confirmDelivery")}
          >
            {props.strings.confirm}
          </button>
        )}
        {(props.state === "paid" || props.state === "shipped") && (
          <button
            type="button"
            className="button-secondary"
            data-testid="open-dispute"
            disabled={tx.busy}
            aria-expanded={confirmingDispute}
            onClick={() => setConfirmingDispute((v) => !v)}
          >
            {props.strings.dispute}
          </button>
        )}
      </div>
      {confirmingDispute && (props.state === "paid" || props.state === "shipped") && (
        <p className="notice row">
          <span>{props.strings.disputeConfirm}</span>
          <button
            type="button"
            className="button-danger"
            data-testid="open-dispute-confirm"
            disabled={tx.busy}
            onClick={() => {
              setConfirmingDispute(false);
              send("openDispute");
            }}
          >
            {props.strings.dispute}
          </button>
        </p>
      )}
      <TxStatus
        phase={tx.phase}
        error={tx.error}
        hash={tx.hash}
        explorerUrl={props.explorerUrl}
        strings={props.strings.tx}
      />
    </WalletGate>
  );
}
