// An order's history: commerce status changes and chain events, each chain step with its block
// and transaction.

import { formatDate } from "../../lib/i18n/format.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import type { OrderHistoryEntry } from "../../lib/orders/list-orders.ts";
import { TxLink } from "../dashboard/chain-links.tsx";
import { statusLabel } from "../dashboard/status-badge.tsx";

export function OrderHistory(props: {
  history: OrderHistoryEntry[];
  t: Translate;
  locale: Locale;
  explorerUrl?: string;
}) {
  const { t } = props;
  if (props.history.length === 0) return null;
  return (
    <details>
      <summary>{t("orders.history")}</summary>
      <ol className="stack" data-testid="order-history">
        {props.history.map((h) => (
          <li
            key={`${h.at.toISOString()}-${h.status}-${h.txHash ?? h.note ?? ""}`}
            data-testid={h.txHash ? "order-chain-event" : undefined}
          >
            <strong>{statusLabel(t, h.status)}</strong> · {formatDate(h.at, props.locale)}
            {h.source === "chain" && h.txHash ? (
              <>
                {" "}
                · {t("orders.block", { block: String(h.blockNumber ?? "") })} ·{" "}
                <TxLink hash={h.txHash} explorerUrl={props.explorerUrl} />
              </>
            ) : (
              h.note && <span className="muted"> · {h.note}</span>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}
