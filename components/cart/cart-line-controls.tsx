"use client";
// Quantity edit and remove for one cart line; each answer is announced to screen readers.
import { useActionState } from "react";
import type { CartActionState } from "../../app/cart/actions.ts";

type Action = (state: CartActionState, form: FormData) => Promise<CartActionState>;

export type CartLineLabels = {
  quantity: string;
  update: string;
  remove: string;
  removeLabel: string;
  pending: string;
};

export function CartLineControls(props: {
  offerId: string;
  quantity: number;
  title: string;
  updateAction: Action;
  removeAction: Action;
  hidden?: Record<string, string>;
  labels: CartLineLabels;
}) {
  const idle: CartActionState = { status: "idle", message: "" };
  const [updated, update, updating] = useActionState(props.updateAction, idle);
  const [removed, remove, removing] = useActionState(props.removeAction, idle);
  const state = removed.status !== "idle" ? removed : updated;
  const hidden = { offerId: props.offerId, ...props.hidden };
  const inputId = `qty-${props.offerId}`;
  return (
    <div className="stack">
      <div className="row">
        <form action={update} className="row">
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <label htmlFor={inputId} className="visually-hidden">
            {props.labels.quantity}
          </label>
          <input
            id={inputId}
            name="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={999}
            required
            defaultValue={props.quantity}
            style={{ width: "5rem" }}
            data-testid="cart-line-quantity"
          />
          <button type="submit" className="button-secondary" disabled={updating} data-testid="cart-line-update">
            {updating ? props.labels.pending : props.labels.update}
          </button>
        </form>
        <form action={remove}>
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <button
            type="submit"
            className="button-danger"
            disabled={removing}
            aria-label={props.labels.removeLabel}
            data-testid="cart-line-remove"
          >
            {props.labels.remove}
          </button>
        </form>
      </div>
      <p role="status" aria-live="polite" className={state.status === "error" ? "error" : "muted"}>
        {state.message}
      </p>
    </div>
  );
}
