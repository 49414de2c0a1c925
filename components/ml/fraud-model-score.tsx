// The fraud model's probability for one case of the admin fraud queue, beside the rules' score
// (lib/web-recs/fraud-case-score.ts decides which order a case is scored on).
import type { Db } from "../../lib/db/client.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { scoreFraudCase } from "../../lib/web-recs/fraud-case-score.ts";

export async function FraudModelScore(props: { db: Db; kind: "payment" | "buyer"; caseRef: string; t: Translate }) {
  const { t } = props;
  try {
    const score = await scoreFraudCase(props.db, { kind: props.kind, ref: props.caseRef });
    if (!score) return <span className="muted">—</span>;
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
    // The rules' score beside it still serves the admin; the model's failure is only logged.
    console.error("fraud score failed", error);
    return <span className="muted">—</span>;
  }
}
