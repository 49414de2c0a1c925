"use client";
// The fiat checkout form: payment method, delivery, the guest's email and the shipping address,
// and for a signed-in holder of loyalty points the "use my points" choice (signed in the wallet
// before the form is sent). On success the server action sends the browser to the provider's page.
import Link from "next/link";
import { useActionState, useCallback, useRef } from "react";
import type { DeliveryQuoteRequest, DeliveryQuoteResult } from "../../app/checkout/delivery/actions.ts";
import type { FiatCheckoutState, PointsConsentRequest } from "../../app/checkout/fiat/actions.ts";
import type { DeliveryAreaView } from "../../lib/web-cart/delivery-choice-view.ts";
import { DeliveryChooser, type DeliveryChooserLabels } from "./delivery-chooser.tsx";
import { PointsConsentField, type PointsSigner } from "./points-consent-field.tsx";

type Action = (state: FiatCheckoutState, form: FormData) => Promise<FiatCheckoutState>;

export type FiatFormLabels = Record<
  | "method"
  | "contact"
  | "email"
  | "shipping"
  | "shipName"
  | "shipLine1"
  | "shipLine2"
  | "shipCity"
  | "shipPostalCode"
  | "shipCountry"
  | "submit"
  | "pending"
  | "orderStatus",
  string
>;

export function FiatCheckoutForm(props: {
  action: Action;
  methods: { id: string; label: string; hint: string }[];
  /** Areas to deliver to; the options are priced by the server for the area picked. */
  delivery: {
    areas: DeliveryAreaView[];
    quote: (request: DeliveryQuoteRequest) => Promise<DeliveryQuoteResult>;
    labels: DeliveryChooserLabels;
  };
  askEmail: boolean;
  labels: FiatFormLabels;
  /** Offered only to a signed-in holder with usable points (and then rendered inside the wallet providers). */
  points?: {
    usable: number;
    prepare: (points: number) => Promise<PointsConsentRequest>;
    labels: { legend: string; use: string; hint: string; signing: string; declined: string };
  };
}) {
  const signer = useRef<PointsSigner | undefined>(undefined);
  const onSigner = useCallback((next: PointsSigner | undefined) => {
    signer.current = next;
  }, []);
  const { action, points } = props;
  const submit = useCallback(
    async (state: FiatCheckoutState, form: FormData): Promise<FiatCheckoutState> => {
      if (signer.current) {
        let signed: Awaited<ReturnType<PointsSigner>>;
        try {
          signed = await signer.current();
        } catch (error) {
          return { status: "error", message: (error as Error).message };
        }
        if (signed === "declined") return { status: "error", message: points?.labels.declined ?? "" };
        if (signed) for (const [name, value] of Object.entries(signed)) form.set(name, value);
      }
      return action(state, form);
    },
    [action, points],
  );
  const [state, formAction, pending] = useActionState(submit, { status: "idle", message: "" });
  const errors = state.fieldErrors ?? {};
  const field = (name: keyof FiatFormLabels & string, options: { required?: boolean; autoComplete?: string } = {}) => (
    <div className="stack">
      <label htmlFor={`fiat-${name}`}>{props.labels[name]}</label>
      <input
        id={`fiat-${name}`}
        name={name}
        required={options.required ?? true}
        autoComplete={options.autoComplete}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `fiat-${name}-error` : undefined}
        data-testid={`fiat-${name}`}
      />
      {errors[name] && (
        <span id={`fiat-${name}-error`} className="error">
          {errors[name]}
        </span>
      )}
    </div>
  );
  return (
    <form action={formAction} className="stack" data-testid="fiat-checkout-form" noValidate>
      <fieldset className="stack">
        <legend>{props.labels.method}</legend>
        {props.methods.map((method, index) => (
          <label key={method.id} className="row">
            <input
              type="radio"
              name="method"
              value={method.id}
              defaultChecked={index === 0}
              data-testid={`fiat-method-${method.id}`}
            />
            <span>
              {method.label} <span className="muted">{method.hint}</span>
            </span>
          </label>
        ))}
        {errors.method && <span className="error">{errors.method}</span>}
      </fieldset>
      <DeliveryChooser
        areas={props.delivery.areas}
        source={{ kind: "own-cart" }}
        quote={props.delivery.quote}
        labels={props.delivery.labels}
        error={errors.deliveryArea ?? errors.deliveryOption}
      />
      {props.askEmail && (
        <fieldset className="stack">
          <legend>{props.labels.contact}</legend>
          {field("email", { autoComplete: "email" })}
        </fieldset>
      )}
      <fieldset className="stack">
        <legend>{props.labels.shipping}</legend>
        {field("shipName", { autoComplete: "name" })}
        {field("shipLine1", { autoComplete: "address-line1" })}
        {field("shipLine2", { required: false, autoComplete: "address-line2" })}
        {field("shipCity", { autoComplete: "address-level2" })}
        {field("shipPostalCode", { autoComplete: "postal-code" })}
        {field("shipCountry", { autoComplete: "country" })}
      </fieldset>
      {points && points.usable > 0 && (
        <PointsConsentField
          usable={points.usable}
          prepare={points.prepare}
          onSigner={onSigner}
          labels={points.labels}
        />
      )}
      <button type="submit" disabled={pending} data-testid="fiat-submit">
        {pending ? props.labels.pending : props.labels.submit}
      </button>
      <div role="status" aria-live="polite" data-testid="fiat-status">
        {state.message && <p className={state.status === "error" ? "error" : "muted"}>{state.message}</p>}
        {state.orderId && (
          <p>
            <Link href={`/checkout/return?order=${state.orderId}`}>{props.labels.orderStatus}</Link>
          </p>
        )}
      </div>
    </form>
  );
}
