"use client";
// The deletion form: a typed "DELETE" keeps a stray click from erasing an account.
import { useActionState } from "react";
import { type DeleteAccountState, deleteMyAccount } from "./actions.ts";

export function DeleteAccountForm(props: { label: string; confirmLabel: string; hint: string }) {
  const [state, action, pending] = useActionState<DeleteAccountState, FormData>(deleteMyAccount, { error: null });
  return (
    <form action={action} className="stack" aria-describedby="delete-account-hint">
      <p id="delete-account-hint" className="muted">
        {props.hint}
      </p>
      <label htmlFor="delete-confirm">{props.confirmLabel}</label>
      <input
        id="delete-confirm"
        name="confirm"
        autoComplete="off"
        required
        data-testid="delete-confirm"
        aria-invalid={state.error ? true : undefined}
        aria-errormessage={state.error ? "delete-account-error" : undefined}
      />
      <button type="submit" className="button-danger" disabled={pending} data-testid="delete-account">
        {props.label}
      </button>
      {state.error ? (
        <p id="delete-account-error" role="alert" className="error">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
