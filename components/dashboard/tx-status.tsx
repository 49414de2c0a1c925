"use client";
// The live line under an on-chain action: announced to screen readers as it changes.
import type { Hex } from "viem";
import type { TxPhase } from "./use-chain-tx.ts";

export type TxStrings = { signing: string; mining: string; indexing: string; done: string; failed: string };

export function TxStatus(props: {
  phase: TxPhase;
  error: string | null;
  hash: Hex | null;
  explorerUrl?: string;
  strings: TxStrings;
}) {
  const { phase, strings } = props;
  const text =
    phase === "signing"
      ? strings.signing
      : phase === "mining"
        ? strings.mining
        : phase === "indexing"
          ? strings.indexing
          : phase === "done"
            ? strings.done
            : phase === "error"
              ? `${strings.failed} ${props.error ?? ""}`
              : "";
  return (
    <p role="status" aria-live="polite" className={phase === "error" ? "error" : "muted"} data-testid="tx-status">
      {text}
      {props.hash && phase !== "error" && (
        <>
          {" "}
          {props.explorerUrl ? (
            <a href={`${props.explorerUrl}/tx/${props.hash}`} className="mono" rel="noreferrer" target="_blank">
              {props.hash.slice(0, 10)}…
            </a>
          ) : (
            <span className="mono" title={props.hash}>
              {props.hash.slice(0, 10)}…
            </span>
          )}
        </>
      )}
    </p>
  );
}
