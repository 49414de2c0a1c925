// The fraud model's probability for one case of the admin fraud queue, beside the rules' score:
// a payment case is its order; a buyer case is scored on the buyer's latest order.
import type { Db } from "../../lib/db/client.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { fraudScore, OrderNotFoundError } from "../../lib/ml/index.ts";

async function latestOrderOf(db: Db, userId: string): Promise<string | null> {
  const { rows } = await db.$client.query<{ id: string }>(
    "select id from commerce.orders where user_id = $1 order by created_at desc limit 1",
    [userId],
  );
  return rows[0]?.id ?? null;
}

export async function FraudModelScore(props: { db: Db; kind: "payment" | "buyer"; caseRef: string; t: Translate }) {
  const { t } = props;
  try {
    const orderId = props.kind === "payment" ? props.caseRef : await latestOrderOf(props.db, props.caseRef);
    if (!orderId) return <span className="muted">—</span>;
    const score = await fraudScore(props.db, orderId);
    const percent = Math.round(score.score * 100);
    const reasons = score.reasons
      .slice(0, 3)
      .map((r) => r.feature)
      .join(", ");
    return (
      <div data-testid="fraud-model-score" data-source={score.source}>
        <span className={`badge ${score.flagged ? "badge-bad" : percent >= 40 ? "badge-warn" : "badge-ok"}`}>
          {percent}%
        </span>
        <div className="muted">
          {t(score.source === "model" ? "fraud.modelSource.model" : "fraud.modelSource.rules")}
        </div>
        {reasons && <div className="muted">{t("fraud.why", { reasons })}</div>}
      </div>
    );
  } catch (error) {
    if (!(error instanceof OrderNotFoundError)) console.error("fraud score failed", error);
    return <span className="muted">—</span>;
  }
}
