"use client";
// A small form posting to a server action, with the action's answer announced in place. Works
// without JavaScript too (the action still runs; the page re-renders).
import { type ReactNode, useActionState } from "react";

export type ActionResult = { ok: boolean; message: string } | null;
export type FormAction = (previous: ActionResult, form: FormData) => Promise<ActionResult>;

export function ActionForm(props: {
  action: FormAction;
  hidden?: Record<string, string>;
  submitLabel: string;
  submitTestId?: string;
  submitClassName?: string;
  label?: string;
  children?: ReactNode;
}) {
  const [result, formAction, pending] = useActionState(props.action, null);
  return (
    <form action={formAction} className="row" aria-label={props.label}>
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.children}
      <button type="submit" disabled={pending} data-testid={props.submitTestId} className={props.submitClassName}>
        {props.submitLabel}
      </button>
      <span role="status" aria-live="polite" className={result && !result.ok ? "error" : "muted"}>
        {result?.message ?? ""}
      </span>
    </form>
  );
}
