"use client";
// What the seller can withdraw from the escrow, per token, and the Withdraw button (pull payment:
// Escrow.withdraw(token) sends the caller all its credit). The balance shown is the indexer's, so
// after the receipt the page refreshes until it changes.
import type { Address } from "viem";
import { useWriteContract } from "wagmi";
import { escrowAbi } from "../../lib/contracts/abis.ts";
import { TxStatus, type TxStrings } from "./tx-status.tsx";
import { useChainTx } from "./use-chain-tx.ts";
import { WalletGate, type WalletGateStrings } from "./wallet-gate.tsx";

export type WithdrawStrings = {
  withdraw: string;
  nothing: string;
  withdrawable: string;
  gate: WalletGateStrings;
  tx: TxStrings;
};

export function WithdrawPanel(props: {
  chainId: number;
  escrow: Address;
  payout: Address;
  credits: { token: Address; withdrawable: string; label: string }[];
  explorerUrl?: string;
  strings: WithdrawStrings;
}) {
  const key = props.credits.map((c) => `${c.token}:${c.withdrawable}`).join(",");
  const { writeContractAsync } = useWriteContract();
  const tx = useChainTx(key);
  const s = props.strings;
  return (
    <div className="stack">
      <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
        {props.credits.length === 0 && <li className="muted">{s.nothing}</li>}
        {props.credits.map((c) => (
          <li key={c.token} className="row">
            <span>
              {s.withdrawable}:{" "}
              <strong data-testid="withdrawable-balance" data-token={c.token} data-raw={c.withdrawable}>
                {c.label}
              </strong>
            </span>
          </li>
        ))}
      </ul>
      <WalletGate chainId={props.chainId} expected={props.payout} strings={s.gate}>
        <div className="row">
          {props.credits
            .filter((c) => BigInt(c.withdrawable) > 0n)
            .map((c) => (
              <button
                key={c.token}
                type="button"
                data-testid="withdraw-button"
                disabled={tx.busy}
                onClick={() =>
                  tx.run(() =>
                    writeContractAsync({
                      address: props.escrow,
                      abi: escrowAbi,
                      functionName: "withdraw",
                      args: [c.token],
                      chainId: props.chainId,
                    }),
                  )
                }
              >
                {s.withdraw} ({c.label})
              </button>
            ))}
        </div>
        <TxStatus phase={tx.phase} error={tx.error} hash={tx.hash} explorerUrl={props.explorerUrl} strings={s.tx} />
      </WalletGate>
    </div>
  );
}
