// The refusal shown instead of a protected page: says why, and shows none of the page's data.
import Link from "next/link";

export function AccessDenied(props: { title: string; message: string; signInLabel?: string }) {
  return (
    <section className="card stack" data-testid="access-denied" aria-labelledby="access-denied-title">
      <h1 id="access-denied-title">{props.title}</h1>
      <p role="alert">{props.message}</p>
      {props.signInLabel && (
        <p>
          <Link href="/account">{props.signInLabel}</Link>
        </p>
      )}
    </section>
  );
}
