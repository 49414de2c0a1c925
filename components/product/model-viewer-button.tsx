"use client";
// "View in 3D / AR": model-viewer (three.js inside, ~300 kB) is fetched only when the shopper asks
// for it, so product pages stay light.
import { createElement, useState } from "react";

export function ModelViewerButton(props: { src: string; alt: string; label: string; loadingLabel: string }) {
  const [state, setState] = useState<"idle" | "loading" | "ready" | "failed">("idle");
  const [error, setError] = useState<string>();

  async function open() {
    setState("loading");
    try {
      await import("@google/model-viewer");
      setState("ready");
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
      setState("failed");
    }
  }

  if (state === "ready") {
    // A custom element: created by name so React passes the attributes through untouched.
    return createElement("model-viewer", {
      src: props.src,
      alt: props.alt,
      ar: true,
      "camera-controls": true,
      "auto-rotate": true,
      "touch-action": "pan-y",
      "data-testid": "model-viewer",
      style: { width: "100%", height: "360px", background: "#f3f4f6", borderRadius: "10px" },
    });
  }
  return (
    <div>
      <button type="button" onClick={open} disabled={state === "loading"} data-testid="view-3d">
        {state === "loading" ? props.loadingLabel : props.label}
      </button>
      {state === "failed" && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
