"use client";
// The cart's share link, selectable and copyable (the copy is announced).
import { useState } from "react";

export function ShareLink(props: { url: string; label: string; copy: string; copied: string }) {
  const [done, setDone] = useState(false);
  return (
    <div className="row">
      <label htmlFor="cart-share-url">{props.label}</label>
      <input
        id="cart-share-url"
        readOnly
        value={props.url}
        onFocus={(e) => e.currentTarget.select()}
        style={{ flex: "1 1 16rem", minWidth: 0 }}
        data-testid="cart-share-url"
      />
      <button
        type="button"
        className="button-secondary"
        onClick={() => {
          void navigator.clipboard?.writeText(props.url).then(() => setDone(true));
        }}
      >
        {props.copy}
      </button>
      <span role="status" aria-live="polite" className="muted">
        {done ? props.copied : ""}
      </span>
    </div>
  );
}
