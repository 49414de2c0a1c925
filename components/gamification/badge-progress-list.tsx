// Each badge with where the shopper stands: held, on its way, or a progress bar toward it.
import type { BadgeProgress } from "../../lib/gamification/badge-progress.ts";
import type { MessageKey, Translate } from "../../lib/i18n/translate.ts";

export function BadgeProgressList(props: { badges: BadgeProgress[]; t: Translate }) {
  const { t } = props;
  return (
    <ul className="gamification-badges" data-testid="badge-progress">
      {props.badges.map((badge) => {
        const name = t(`loyalty.badge.${badge.id}` as MessageKey);
        const progress = t(`loyalty.progress.${badge.measure}` as MessageKey, {
          current: badge.current,
          target: badge.target,
        });
        return (
          <li
            key={badge.id}
            className="card gamification-badge"
            data-testid="badge"
            data-badge-id={badge.id}
            data-held={badge.state === "held" ? "yes" : "no"}
            data-state={badge.state}
          >
            <span
              className={`badge ${badge.state === "held" ? "badge-ok" : badge.state === "awarding" ? "badge-warn" : ""}`}
            >
              {name}
              {badge.state === "held" ? ` ✓ ${t("loyalty.held")}` : ""}
            </span>
            {badge.state === "awarding" ? <span className="muted">{t("loyalty.awarding")}</span> : null}
            {badge.state === "in_progress" ? (
              <>
                <progress
                  value={badge.current}
                  max={badge.target}
                  aria-label={`${name}: ${progress}`}
                  data-testid="badge-progress-bar"
                />
                <span className="muted" data-testid="badge-progress-text">
                  {progress}
                </span>
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
