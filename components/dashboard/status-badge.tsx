// An order's status as a coloured badge (with the words, never colour alone).
import type { MessageKey, Translate } from "../../lib/i18n/translate.ts";

const GOOD = ["paid", "shipped", "completed", "delivered", "resolved", "succeeded"];
const WARN = [
  "disputed",
  "payment_review",
  "awaiting payment",
  "awaiting_payment",
  "pending_payment",
  "awaiting indexer",
];

const KNOWN = new Set([
  "paid",
  "shipped",
  "completed",
  "delivered",
  "resolved",
  "refunded",
  "disputed",
  "payment_review",
  "payment_failed",
  "pending_payment",
  "awaiting_payment",
  "awaiting payment",
  "awaiting indexer",
  "quote expired",
  "quote_expired",
  "partially_refunded",
  "cancelled",
]);

export function statusLabel(t: Translate, status: string): string {
  return KNOWN.has(status) ? t(`status.${status.replace(/ /g, "_")}` as MessageKey) : status;
}

export function StatusBadge(props: { t: Translate; status: string; testId?: string }) {
  const tone = GOOD.includes(props.status) ? "badge-ok" : WARN.includes(props.status) ? "badge-warn" : "badge-bad";
  return (
    <span className={`badge ${tone}`} data-testid={props.testId} data-status={props.status}>
      {statusLabel(props.t, props.status)}
    </span>
  );
}
