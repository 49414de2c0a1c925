"use client";
// The order's status, polled from the server until it settles (paid, failed, under review), and
// announced as it changes. A paid order of a signed-in buyer can fetch its purchase receipt.
import { useEffect, useState } from "react";

export type LiveStatus = {
  status: string;
  paid: boolean;
  settled: boolean;
  signedIn: boolean;
  items: { title: string; productChainId: string; quantity: number }[];
};

export type StatusLabels = {
  statusNames: Record<string, string>;
  current: string;
  polling: string;
  pollFailed: string;
  paid: string;
  receipt: string;
  receiptFor: string;
  receiptPending: string;
  receiptReady: string;
  receiptFailed: string;
};

const POLL_MS = 2_000;

export function OrderStatusLive(props: { orderId: string; initial: LiveStatus; labels: StatusLabels }) {
  const { labels } = props;
  const [live, setLive] = useState(props.initial);
  const [pollError, setPollError] = useState(false);
  const [receipt, setReceipt] = useState<{ state: "idle" | "pending" | "ready" | "error"; text: string }>({
    state: "idle",
    text: "",
  });

  useEffect(() => {
    if (live.settled) return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/api/checkout/${props.orderId}/status`, { cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        const next = (await response.json()) as LiveStatus;
        if (!stopped) {
          setLive(next);
          setPollError(false);
        }
      } catch {
        if (!stopped) setPollError(true);
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [live.settled, props.orderId]);

  async function fetchReceipt(productChainId: string) {
    setReceipt({ state: "pending", text: labels.receiptPending });
    const response = await fetch(`/api/checkout/${props.orderId}/receipt?product=${productChainId}`, {
      cache: "no-store",
    });
    const body = (await response.json()) as { error?: string };
    setReceipt(
      response.ok
        ? { state: "ready", text: JSON.stringify(body, null, 2) }
        : { state: "error", text: body.error ?? labels.receiptFailed },
    );
  }

  const name = labels.statusNames[live.status] ?? live.status;
  return (
    <div className="stack">
      <p role="status" aria-live="polite" data-testid="order-status" data-status={live.status}>
        {labels.current}{" "}
        <strong className={live.paid ? "badge badge-ok" : live.settled ? "badge badge-bad" : "badge badge-warn"}>
          {name}
        </strong>
      </p>
      {!live.settled && <p className="muted">{pollError ? labels.pollFailed : labels.polling}</p>}
      {live.paid && <p data-testid="order-paid">{labels.paid}</p>}
      {live.paid && live.signedIn && (
        <section className="stack" aria-label={labels.receipt}>
          {live.items.map((item) => (
            <button
              key={item.productChainId}
              type="button"
              className="button-secondary"
              onClick={() => void fetchReceipt(item.productChainId)}
              data-testid="order-receipt"
            >
              {labels.receiptFor.replace("{title}", item.title)}
            </button>
          ))}
          <div role="status" aria-live="polite">
            {receipt.state === "ready" ? (
              <>
                <p>{labels.receiptReady}</p>
                <pre className="mono" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                  {receipt.text}
                </pre>
              </>
            ) : (
              <p className={receipt.state === "error" ? "error" : "muted"}>{receipt.text}</p>
            )}
          </div>
        </section>
      )}
    </div>
  );
}
