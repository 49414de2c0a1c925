"use client";
// The fiat checkout form: payment method, delivery, the guest's email and the shipping address.
// On success the server action sends the browser to the provider's hosted page.
import Link from "next/link";
import { useActionState } from "react";
import type { FiatCheckoutState } from "../../app/checkout/fiat/actions.ts";

type Action = (state: FiatCheckoutState, form: FormData) => Promise<FiatCheckoutState>;

export type FiatFormLabels = Record<
  | "method"
  | "delivery"
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
  deliveryOptions: { id: string; label: string }[];
  askEmail: boolean;
  labels: FiatFormLabels;
}) {
  const [state, formAction, pending] = useActionState(props.action, { status: "idle", message: "" });
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
      <div className="stack">
        <label htmlFor="fiat-deliveryOption">{props.labels.delivery}</label>
        <select id="fiat-deliveryOption" name="deliveryOption" data-testid="fiat-delivery">
          {props.deliveryOptions.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
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
