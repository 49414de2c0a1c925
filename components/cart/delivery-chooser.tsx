"use client";
// The delivery choice of both checkouts: the shopper picks a delivery area, the server prices
// every option the cart allows for it (app/checkout/delivery/actions.ts), and each option shows its
// fee, ETA and CO2 estimate (green: the offset cost too) or, disabled, why it is not available.
// Inside a form the fields are named deliveryArea and deliveryOption; onChange serves the wallet
// checkout, which sends them itself.
import { useEffect, useId, useState, useTransition } from "react";
import type { DeliveryQuoteRequest, DeliveryQuoteResult } from "../../app/checkout/delivery/actions.ts";
import type { DeliveryAreaView, DeliveryChoiceView } from "../../lib/web-cart/delivery-choice-view.ts";

export type DeliveryChooserLabels = {
  legend: string;
  area: string;
  areaChoose: string;
  areaHint: string;
  chooseAreaFirst: string;
  loading: string;
  none: string;
  unavailable: string;
};

export type DeliverySelection = { area: string; option: string | null };

export function DeliveryChooser(props: {
  areas: DeliveryAreaView[];
  source: DeliveryQuoteRequest["source"];
  quote: (request: DeliveryQuoteRequest) => Promise<DeliveryQuoteResult>;
  labels: DeliveryChooserLabels;
  disabled?: boolean;
  /** Field errors from the form's last submit. */
  error?: string | undefined;
  onChange?: (selection: DeliverySelection) => void;
}) {
  const { labels, onChange, quote, source } = props;
  const id = useId();
  const [area, setArea] = useState("");
  const [choices, setChoices] = useState<DeliveryChoiceView[]>([]);
  const [option, setOption] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    onChange?.({ area, option });
  }, [area, option, onChange]);

  function pickArea(next: string) {
    setArea(next);
    setChoices([]);
    setOption(null);
    setFailure(null);
    if (!next) return;
    startTransition(async () => {
      const result = await quote({ source, area: next }).catch(
        (error: unknown): DeliveryQuoteResult => ({ ok: false, error: (error as Error).message }),
      );
      if (!result.ok) {
        setFailure(result.error);
        return;
      }
      setChoices(result.choices);
      // Keep the cheapest sensible default: the first option the area allows.
      setOption(result.choices.find((c) => c.available)?.option ?? null);
    });
  }

  const status = pending
    ? labels.loading
    : failure
      ? failure
      : !area
        ? labels.chooseAreaFirst
        : choices.every((c) => !c.available)
          ? labels.none
          : "";

  return (
    <fieldset className="stack" disabled={props.disabled} data-testid="delivery-chooser">
      <legend>{labels.legend}</legend>
      <div className="stack">
        <label htmlFor={`${id}-area`}>{labels.area}</label>
        <select
          id={`${id}-area`}
          name="deliveryArea"
          value={area}
          onChange={(e) => pickArea(e.target.value)}
          aria-describedby={`${id}-hint${props.error ? ` ${id}-error` : ""}`}
          aria-invalid={props.error ? true : undefined}
          data-testid="delivery-area"
        >
          <option value="">{labels.areaChoose}</option>
          {props.areas.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </select>
        <p id={`${id}-hint`} className="muted">
          {labels.areaHint}
        </p>
        {props.error && (
          <p id={`${id}-error`} className="error">
            {props.error}
          </p>
        )}
      </div>
      <div role="status" aria-live="polite" data-testid="delivery-status">
        {status && <p className={failure ? "error" : "muted"}>{status}</p>}
      </div>
      {!pending &&
        choices.map((choice) => (
          <label
            key={choice.option}
            className="row delivery-choice"
            data-testid={`delivery-choice-${choice.option}`}
            data-available={choice.available}
          >
            <input
              type="radio"
              name="deliveryOption"
              value={choice.option}
              checked={option === choice.option}
              disabled={!choice.available}
              onChange={() => setOption(choice.option)}
              data-testid={`delivery-option-${choice.option}`}
            />
            <span className="delivery-choice-text">
              <span>
                <strong>{choice.label}</strong>
                {choice.price && (
                  <>
                    {" "}
                    <span data-testid={`delivery-fee-${choice.option}`}>{choice.price}</span>
                  </>
                )}
              </span>
              {choice.available ? (
                <span className="muted">{choice.details.join(" · ")}</span>
              ) : (
                <span className="muted" data-testid={`delivery-reason-${choice.option}`}>
                  {labels.unavailable.replace("{reason}", choice.reason ?? "")}
                </span>
              )}
            </span>
          </label>
        ))}
    </fieldset>
  );
}
