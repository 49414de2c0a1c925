"use client";
// The pool's address with a copy button: group buys fill by being passed around.
import { useState } from "react";
import styles from "./group-buys.module.css";

export type ShareStrings = { label: string; copy: string; copied: string; copyFailed: string };

export function ShareLink(props: { url: string; strings: ShareStrings }) {
  const [result, setResult] = useState<"copied" | "failed" | null>(null);
  const s = props.strings;
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.url);
      setResult("copied");
    } catch {
      setResult("failed");
    }
  }
  return (
    <div className="stack">
      <div className="row">
        <label htmlFor="pool-share-url" className="visually-hidden">
          {s.label}
        </label>
        <input
          id="pool-share-url"
          readOnly
          value={props.url}
          className={`mono ${styles.shareUrl}`}
          data-testid="share-url"
        />
        <button type="button" onClick={copy} data-testid="share-copy">
          {s.copy}
        </button>
      </div>
      <p role="status" aria-live="polite" className={result === "failed" ? "error" : "muted"}>
        {result === "copied" ? s.copied : result === "failed" ? s.copyFailed : ""}
      </p>
    </div>
  );
}
