"use client";
// Writing a review of a completed escrow order: the server stores the text and answers its
// keccak256 hash, then the buyer's wallet records rating and hash on chain (Reviews.review). The
// review counts as verified once the indexer shows it and the stored text matches the hash.
import { useId, useState } from "react";
import type { Address } from "viem";
import { useWriteContract } from "wagmi";
import { reviewsAbi } from "../../lib/contracts/abis.ts";
import { TxStatus, type TxStrings } from "../dashboard/tx-status.tsx";
import { useChainTx } from "../dashboard/use-chain-tx.ts";
import { WalletGate, type WalletGateStrings } from "../dashboard/wallet-gate.tsx";

export type SaveReviewResult =
  | { ok: true; contentHash: `0x${string}`; chainOrderId: `0x${string}`; productChainId: `0x${string}` }
  | { ok: false; error: string };

export type ReviewStrings = {
  heading: string;
  rating: string;
  stars: string;
  text: string;
  hint: string;
  submit: string;
  saving: string;
  verified: string;
  onChainOnly: string;
  gate: WalletGateStrings;
  tx: TxStrings;
};

export function ReviewForm(props: {
  orderId: string;
  productId: string;
  buyer: Address;
  chainId: number;
  reviews: Address;
  locale: string;
  status: "none" | "reviewed" | "verified";
  explorerUrl?: string;
  minChars: number;
  maxChars: number;
  save: (input: { orderId: string; productId: string; body: string; locale: string }) => Promise<SaveReviewResult>;
  strings: ReviewStrings;
}) {
  const ids = useId();
  const { writeContractAsync } = useWriteContract();
  const tx = useChainTx(props.status);
  const [rating, setRating] = useState(5);
  const [body, setBody] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const s = props.strings;

  if (props.status === "verified") {
    return (
      <p className="badge badge-ok" data-testid="review-verified" role="status">
        {s.verified}
      </p>
    );
  }
  if (props.status === "reviewed") {
    return (
      <p className="badge badge-warn" role="status">
        {s.onChainOnly}
      </p>
    );
  }

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setSaving(true);
    const saved = await props
      .save({ orderId: props.orderId, productId: props.productId, body, locale: props.locale })
      .catch((e: unknown) => ({ ok: false as const, error: String((e as Error).message ?? e) }));
    setSaving(false);
    if (!saved.ok) {
      setError(saved.error);
      return;
    }
    await tx.run(() =>
      writeContractAsync({
        address: props.reviews,
        abi: reviewsAbi,
        functionName: "review",
        args: [saved.chainOrderId, saved.productChainId, rating, saved.contentHash],
        chainId: props.chainId,
      }),
    );
  };

  return (
    <WalletGate chainId={props.chainId} expected={props.buyer} strings={s.gate}>
      <form className="stack" onSubmit={submit} aria-labelledby={`${ids}-h`}>
        <h4 id={`${ids}-h`}>{s.heading}</h4>
        <label htmlFor={`${ids}-rating`}>{s.rating}</label>
        <select
          id={`${ids}-rating`}
          data-testid="review-rating"
          value={rating}
          onChange={(e) => setRating(Number(e.target.value))}
        >
          {[5, 4, 3, 2, 1].map((n) => (
            <option key={n} value={n}>
              {s.stars.replace("{count}", String(n))}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-text`}>{s.text}</label>
        <textarea
          id={`${ids}-text`}
          data-testid="review-text"
          required
          minLength={props.minChars}
          maxLength={props.maxChars}
          rows={4}
          value={body}
          aria-describedby={`${ids}-hint`}
          onChange={(e) => setBody(e.target.value)}
        />
        <p id={`${ids}-hint`} className="muted">
          {s.hint}
        </p>
        <button type="submit" data-testid="submit-review" disabled={saving || tx.busy}>
          {saving ? s.saving : s.submit}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <TxStatus phase={tx.phase} error={tx.error} hash={tx.hash} explorerUrl={props.explorerUrl} strings={s.tx} />
      </form>
    </WalletGate>
  );
}
