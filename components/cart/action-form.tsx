"use client";
// A form posting one server action, announcing its answer (role="status") and refreshing the page's
// server data on success (server actions revalidate the page that called them).
import { type ReactNode, useActionState } from "react";
import type { CartActionState } from "../../app/cart/actions.ts";

type Action = (state: CartActionState, form: FormData) => Promise<CartActionState>;

export function ActionForm(props: {
  action: Action;
  hidden?: Record<string, string>;
  submitLabel: string;
  pendingLabel: string;
  className?: string;
  buttonClassName?: string;
  testId?: string;
  children?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState<CartActionState, FormData>(props.action, {
    status: "idle",
    message: "",
  });
  return (
    <form action={formAction} className={props.className ?? "row"} data-testid={props.testId}>
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.children}
      <button type="submit" className={props.buttonClassName} disabled={pending} aria-disabled={pending}>
        {pending ? props.pendingLabel : props.submitLabel}
      </button>
      <p role="status" aria-live="polite" className={state.status === "error" ? "error" : "muted"}>
        {state.message}
      </p>
    </form>
  );
}
