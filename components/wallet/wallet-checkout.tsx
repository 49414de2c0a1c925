"use client";
// The wallet checkout: choose token, delivery (area, then an option priced for it) and points, get
// a signed quote from the server (the delivery fee is part of its amount), pay
// it to the Escrow (ETH with msg.value, or the stablecoin with an ERC-2612 permit in the same
// transaction), then follow the order until the indexer reports it paid.
import { useCallback, useEffect, useState } from "react";
import { type Address, formatEther, formatUnits, type Hex, isAddressEqual, parseSignature, zeroAddress } from "viem";
import { useAccount, usePublicClient, useSignTypedData, useSwitchChain, useWriteContract } from "wagmi";
import type { DeliveryQuoteRequest, DeliveryQuoteResult } from "../../app/checkout/delivery/actions.ts";
import {
  type StartWalletCheckoutInput,
  startWalletCheckout,
  type WalletQuote,
} from "../../app/checkout/wallet/actions.ts";
import { escrowAbi, testStablecoinAbi } from "../../lib/contracts/abis.ts";
import { formatMoney } from "../../lib/i18n/format.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import type { DeliveryAreaView } from "../../lib/web-cart/delivery-choice-view.ts";
import { DeliveryChooser, type DeliveryChooserLabels, type DeliverySelection } from "../cart/delivery-chooser.tsx";
import { ConnectControl } from "./connect-control.tsx";
import styles from "./wallet-checkout.module.css";
import { describeWalletError } from "./wallet-error.ts";

export type WalletCheckoutStrings = {
  connect: string;
  wrongNetwork: string;
  noWallet: string;
  rejected: string;
  failed: string;
  token: string;
  tokenEth: string;
  tokenStable: string;
  delivery: string;
  points: string;
  pointsBalance: string;
  pointsUnknown: string;
  pay: string;
  preparing: string;
  signPermit: string;
  confirmTx: string;
  mining: string;
  indexing: string;
  paid: string;
  amount: string;
  expires: string;
  tx: string;
  viewOrders: string;
  wrongWallet: string;
  quoteExpired: string;
  retry: string;
  orderStatus: string;
};

type Phase = "idle" | "preparing" | "permit" | "confirm" | "mining" | "indexing" | "paid";

/** Chain states that mean the payment is in the escrow (or already past it). */
const SETTLED = new Set(["paid", "shipped", "completed", "disputed", "resolved", "refunded"]);
const POLL_MS = 2_000;

const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

function toChainQuote(q: WalletQuote["quote"]) {
  return {
    orderId: q.orderId,
    order: {
      ...q.order,
      amount: BigInt(q.order.amount),
      fee: BigInt(q.order.fee),
      cashback: BigInt(q.order.cashback),
    },
    pointsToRedeem: BigInt(q.pointsToRedeem),
    expiry: BigInt(q.expiry),
  };
}

function tokenAmount(q: WalletQuote): string {
  const amount = BigInt(q.quote.order.amount);
  return q.quote.order.token === zeroAddress ? `${formatEther(amount)} ETH` : `${formatUnits(amount, 6)} tUSD`;
}

export function WalletCheckout(props: {
  source: StartWalletCheckoutInput["source"];
  signedInAddress: Address;
  delivery: {
    areas: DeliveryAreaView[];
    quote: (request: DeliveryQuoteRequest) => Promise<DeliveryQuoteResult>;
    labels: DeliveryChooserLabels;
  };
  stablecoinAvailable: boolean;
  pointsBalance: string | null;
  explorerUrl: string | null;
  locale: Locale;
  strings: WalletCheckoutStrings;
}) {
  const { strings: s } = props;
  const { address, chainId: walletChainId } = useAccount();
  const { switchChainAsync } = useSwitchChain();
  const { writeContractAsync } = useWriteContract();
  const { signTypedDataAsync } = useSignTypedData();
  const publicClient = usePublicClient();

  const [token, setToken] = useState<"ETH" | "stablecoin">("ETH");
  const [delivery, setDelivery] = useState<DeliverySelection>({ area: "", option: null });
  const onDelivery = useCallback((next: DeliverySelection) => setDelivery(next), []);
  const [points, setPoints] = useState(0);
  const [phase, setPhase] = useState<Phase>("idle");
  const [quote, setQuote] = useState<WalletQuote | null>(null);
  const [txHash, setTxHash] = useState<Hex | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const maxPoints = props.pointsBalance === null ? 0 : Number(props.pointsBalance);
  const busy = phase !== "idle";

  // Follow the order once the payment is sent: the page is done when the indexer has seen it.
  useEffect(() => {
    if (!quote || !txHash || phase === "paid") return;
    let stopped = false;
    const orderId = quote.orderId;
    async function poll() {
      try {
        const response = await fetch(`/api/orders/${orderId}/status`, { cache: "no-store" });
        if (!response.ok || stopped) return;
        const body = (await response.json()) as { status: string };
        setStatus(body.status);
        if (SETTLED.has(body.status)) setPhase("paid");
      } catch {
        // A dropped poll is retried on the next tick.
      }
    }
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [quote, txHash, phase]);

  async function sendPayment(current: WalletQuote, buyer: Address): Promise<Hex> {
    if (!publicClient) throw new Error("no connection to the chain");
    const q = toChainQuote(current.quote);
    if (walletChainId !== current.chainId) await switchChainAsync({ chainId: current.chainId });
    if (q.order.token === zeroAddress) {
      setPhase("confirm");
      return writeContractAsync({
        address: current.escrowAddress,
        abi: escrowAbi,
        functionName: "checkout",
        args: [q, current.signature],
        value: BigInt(current.value),
        chainId: current.chainId,
      });
    }
    // The permit is signed against the token's own EIP-712 domain, read from the contract (ERC-5267).
    setPhase("permit");
    const [, name, version, domainChainId, verifyingContract] = await publicClient.readContract({
      address: q.order.token,
      abi: testStablecoinAbi,
      functionName: "eip712Domain",
    });
    const nonce = await publicClient.readContract({
      address: q.order.token,
      abi: testStablecoinAbi,
      functionName: "nonces",
      args: [buyer],
    });
    // The permit lives no longer than the quote it pays.
    const deadline = q.expiry;
    const permit = await signTypedDataAsync({
      domain: { name, version, chainId: Number(domainChainId), verifyingContract },
      types: permitTypes,
      primaryType: "Permit",
      message: { owner: buyer, spender: current.escrowAddress, value: q.order.amount, nonce, deadline },
    });
    const { r, s: sPart, v, yParity } = parseSignature(permit);
    setPhase("confirm");
    return writeContractAsync({
      address: current.escrowAddress,
      abi: escrowAbi,
      functionName: "checkoutWithPermit",
      args: [q, current.signature, deadline, Number(v ?? BigInt(yParity + 27)), r, sPart],
      chainId: current.chainId,
    });
  }

  async function pay() {
    setError(null);
    if (!address) {
      setError(s.noWallet);
      return;
    }
    if (!isAddressEqual(address, props.signedInAddress)) {
      setError(s.wrongWallet.replace("{address}", props.signedInAddress));
      return;
    }
    let current = quote;
    if (current && BigInt(current.quote.expiry) * 1000n <= BigInt(Date.now())) {
      setError(s.quoteExpired);
      return;
    }
    if (!current) {
      if (!delivery.area || !delivery.option) {
        setError(props.delivery.labels.chooseAreaFirst);
        return;
      }
      setPhase("preparing");
      const result = await startWalletCheckout({
        source: props.source,
        token,
        deliveryOption: delivery.option as StartWalletCheckoutInput["deliveryOption"],
        deliveryArea: delivery.area,
        pointsToRedeem: points,
      }).catch((e: unknown) => ({ ok: false as const, error: describeWalletError(e, s) }));
      if (!result.ok) {
        setError(result.error);
        setPhase("idle");
        return;
      }
      current = result.checkout;
      setQuote(current);
    }
    try {
      const hash = await sendPayment(current, address);
      setTxHash(hash);
      setPhase("mining");
      const receipt = await publicClient?.waitForTransactionReceipt({ hash });
      if (receipt && receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
      setPhase((p) => (p === "paid" ? p : "indexing"));
    } catch (e) {
      setError(`${describeWalletError(e, s)} ${s.retry}`);
      setTxHash(null);
      setPhase("idle");
    }
  }

  const progress: Record<Phase, string> = {
    idle: "",
    preparing: s.preparing,
    permit: s.signPermit,
    confirm: s.confirmTx,
    mining: s.mining,
    indexing: s.indexing.replace("{status}", status ?? "…"),
    paid: s.paid,
  };
  // Options are fixed once a quote exists: the quote already carries them.
  const locked = quote !== null || busy;

  return (
    <div className="stack">
      <ConnectControl connectLabel={s.connect} wrongNetworkLabel={s.wrongNetwork} />
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void pay();
        }}
      >
        <fieldset disabled={locked}>
          <legend>{s.token}</legend>
          <label className={styles.choice}>
            <input
              type="radio"
              name="token"
              value="ETH"
              checked={token === "ETH"}
              onChange={() => setToken("ETH")}
              data-testid="token-eth"
            />
            {s.tokenEth}
          </label>
          {props.stablecoinAvailable ? (
            <label className={styles.choice}>
              <input
                type="radio"
                name="token"
                value="stablecoin"
                checked={token === "stablecoin"}
                onChange={() => setToken("stablecoin")}
                data-testid="token-stablecoin"
              />
              {s.tokenStable}
            </label>
          ) : null}
        </fieldset>
        <DeliveryChooser
          areas={props.delivery.areas}
          source={props.source}
          quote={props.delivery.quote}
          labels={props.delivery.labels}
          disabled={locked}
          onChange={onDelivery}
        />
        <div className={styles.field}>
          <label htmlFor="checkout-points">{s.points}</label>
          <input
            id="checkout-points"
            type="number"
            inputMode="numeric"
            min={0}
            max={maxPoints}
            step={1}
            value={points}
            disabled={locked || maxPoints === 0}
            aria-describedby="checkout-points-hint"
            onChange={(e) => setPoints(Math.max(0, Math.min(maxPoints, Math.floor(Number(e.target.value) || 0))))}
            data-testid="points-to-redeem"
          />
          <p id="checkout-points-hint" className="muted" data-testid="points-balance">
            {props.pointsBalance === null ? s.pointsUnknown : s.pointsBalance.replace("{points}", props.pointsBalance)}
          </p>
        </div>
        {quote ? (
          <dl data-testid="quote-summary">
            <dt>{s.amount}</dt>
            <dd>
              <span className={`mono ${styles.amount}`}>{tokenAmount(quote)}</span> (
              {formatMoney(BigInt(quote.totalMinor), quote.currency, props.locale)})
            </dd>
            <dd className="muted">
              {s.expires.replace(
                "{time}",
                new Date(Number(quote.quote.expiry) * 1000).toLocaleTimeString(props.locale),
              )}
            </dd>
          </dl>
        ) : null}
        <button type="submit" data-testid="pay-button" disabled={busy}>
          {s.pay}
        </button>
      </form>
      <div
        role="status"
        aria-live="polite"
        className={phase === "paid" ? "notice" : undefined}
        data-testid="order-status"
        data-status={phase === "paid" ? (status ?? "paid") : (status ?? phase)}
      >
        {phase !== "idle" ? (
          <>
            <p>
              <strong>{s.orderStatus}:</strong> {status ?? "…"}
            </p>
            <p>{progress[phase]}</p>
          </>
        ) : null}
        {txHash ? (
          <p>
            {s.tx}:{" "}
            {props.explorerUrl ? (
              <a
                className={`mono ${styles.amount}`}
                data-testid="tx-hash"
                href={`${props.explorerUrl.replace(/\/$/, "")}/tx/${txHash}`}
              >
                {txHash}
              </a>
            ) : (
              <span className={`mono ${styles.amount}`} data-testid="tx-hash">
                {txHash}
              </span>
            )}
          </p>
        ) : null}
        {phase === "paid" ? (
          <p>
            <a href="/orders" data-testid="view-orders">
              {s.viewOrders}
            </a>
          </p>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="error" data-testid="checkout-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
