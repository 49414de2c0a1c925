"use client";
// The seller marks a paid escrow order shipped on chain (Escrow.markShipped), which starts the
// buyer's window to confirm or dispute.
import type { Address, Hex } from "viem";
import { useWriteContract } from "wagmi";
import { escrowAbi } from "../../lib/contracts/abis.ts";
import type { EscrowTerms } from "../../lib/dashboards/escrow-terms.ts";
import { orderStruct } from "./escrow-call.ts";
import { TxStatus, type TxStrings } from "./tx-status.tsx";
import { useChainTx } from "./use-chain-tx.ts";
import { WalletGate, type WalletGateStrings } from "./wallet-gate.tsx";

export function MarkShippedButton(props: {
  chainId: number;
  escrow: Address;
  orderId: Hex;
  state: string;
  terms: EscrowTerms;
  explorerUrl?: string;
  strings: { label: string; gate: WalletGateStrings; tx: TxStrings };
}) {
  const { writeContractAsync } = useWriteContract();
  const tx = useChainTx(props.state);
  return (
    <WalletGate chainId={props.chainId} expected={props.terms.seller} strings={props.strings.gate}>
      <button
        type="button"
        data-testid="mark-shipped"
        disabled={tx.busy}
        onClick={() =>
          tx.run(() =>
            writeContractAsync({
              address: props.escrow,
              abi: escrowAbi,
              functionName: "markShipped",
              args: [props.orderId, orderStruct(props.terms)],
              chainId: props.chainId,
            }),
          )
        }
      >
        {props.strings.label}
      </button>
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
