"use client";
// Unexpected server errors: say so plainly and offer a retry; the digest links the log line.
export default function ErrorPage(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="error">
      <h1>Something went wrong · Algo salió mal</h1>
      <p>{props.error.message}</p>
      {props.error.digest && <p className="mono">{props.error.digest}</p>}
      <button type="button" onClick={props.reset}>
        Try again · Reintentar
      </button>
    </div>
  );
}
