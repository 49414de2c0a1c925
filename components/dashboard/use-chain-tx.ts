"use client";
// One on-chain action's life: the wallet signs, the chain mines, then the indexer catches up.
// The page is server-rendered from the indexer's views, so after the receipt it is refreshed until
// the state the page shows (`stateKey`) changes, or a minute has passed.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Hex } from "viem";
import { usePublicClient } from "wagmi";

export type TxPhase = "idle" | "signing" | "mining" | "indexing" | "done" | "error";

const REFRESH_MS = 1000;
const REFRESH_LIMIT = 60;

function describeError(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).split("\n")[0] ?? "";
}

export function useChainTx(stateKey: string) {
  const router = useRouter();
  const publicClient = usePublicClient();
  const [phase, setPhase] = useState<TxPhase>("idle");
  const [error, setError] = useState<string | null>(null);
  const [hash, setHash] = useState<Hex | null>(null);
  const keyAtStart = useRef(stateKey);

  const run = useCallback(
    async (send: () => Promise<Hex>) => {
      setError(null);
      setHash(null);
      keyAtStart.current = stateKey;
      setPhase("signing");
      try {
        const txHash = await send();
        setHash(txHash);
        setPhase("mining");
        if (!publicClient) throw new Error("No connection to the chain.");
        const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
        if (receipt.status !== "success") throw new Error("The transaction reverted.");
        setPhase("indexing");
      } catch (caught) {
        setError(describeError(caught));
        setPhase("error");
      }
    },
    [publicClient, stateKey],
  );

  useEffect(() => {
    if (phase !== "indexing") return;
    if (stateKey !== keyAtStart.current) {
      setPhase("done");
      return;
    }
    let count = 0;
    const timer = setInterval(() => {
      count += 1;
      if (count > REFRESH_LIMIT) {
        clearInterval(timer);
        setPhase("done");
        return;
      }
      router.refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [phase, stateKey, router]);

  return { phase, error, hash, run, busy: phase === "signing" || phase === "mining" || phase === "indexing" };
}
