"use client";
// The photo goes into a 128×128 canvas (as the catalog images did when they were indexed), its
// features are computed here by lib/ml/image-features.ts — TF.js is fetched only once a photo is
// chosen — and the vector alone is posted for the nearest products.
import { type DragEvent, useEffect, useId, useState } from "react";
import { ProductCard } from "../../../components/product/product-card.tsx";
import type { ProductCard as Card } from "../../../lib/catalog/read-product-cards.ts";
import type { Locale } from "../../../lib/i18n/locales.ts";

type Strings = {
  fileLabel: string;
  drop: string;
  computing: string;
  searching: string;
  results: string;
  none: string;
  notImage: string;
  failed: string;
  similarity: string;
  preview: string;
};

type Result = { similarity: number; product: Card };
type Status = { kind: "idle" | "computing" | "searching" | "done" } | { kind: "error"; message: string };

async function pixelsOf(file: Blob, size: number): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) throw new Error("no canvas");
    context.imageSmoothingQuality = "high";
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, size, size);
    context.drawImage(image, 0, 0, size, size);
    return { data: context.getImageData(0, 0, size, size).data, width: size, height: size };
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function ImageSearchForm(props: { strings: Strings; locale: Locale }) {
  const { strings } = props;
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [results, setResults] = useState<Result[]>([]);
  const [preview, setPreview] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputId = useId();

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  async function search(file: File | undefined) {
    if (!file) return;
    if (!file.type.startsWith("image/")) {
      setStatus({ kind: "error", message: strings.notImage });
      return;
    }
    setPreview(URL.createObjectURL(file));
    setResults([]);
    setStatus({ kind: "computing" });
    try {
      const features = await import("../../../lib/ml/image-features.ts");
      const pixels = await pixelsOf(file, features.IMAGE_SIZE);
      const vector = features.imageFeatures(pixels);
      setStatus({ kind: "searching" });
      const response = await fetch("/api/search/image", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ features: Array.from(vector), version: features.FEATURE_VERSION }),
      });
      const body = (await response.json()) as { results?: Result[]; error?: string };
      if (!response.ok || !body.results) throw new Error(body.error ?? `HTTP ${response.status}`);
      setResults(body.results);
      setStatus({ kind: "done" });
    } catch (error) {
      const message =
        error instanceof Error && error.message.includes("decode") ? strings.notImage : (error as Error).message;
      setStatus({ kind: "error", message: strings.failed.replace("{message}", message) });
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    void search(event.dataTransfer.files[0]);
  }

  return (
    <div className="stack">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for pointer users only; the labelled file input inside is the keyboard and screen-reader path */}
      <div
        className="card stack"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={{ borderStyle: "dashed", borderWidth: 2, borderColor: dragging ? "var(--brand)" : undefined }}
        data-testid="image-drop"
      >
        <label htmlFor={inputId}>{strings.fileLabel}</label>
        <input
          id={inputId}
          type="file"
          accept="image/*"
          capture="environment"
          onChange={(event) => void search(event.target.files?.[0])}
          data-testid="image-input"
        />
        <p className="muted">{strings.drop}</p>
        {preview && (
          // biome-ignore lint/performance/noImgElement: a local object URL of the shopper's own photo
          <img src={preview} alt={strings.preview} width={160} height={160} style={{ objectFit: "contain" }} />
        )}
      </div>
      <p
        role="status"
        aria-live="polite"
        data-testid="image-status"
        className={status.kind === "error" ? "error" : "muted"}
      >
        {status.kind === "computing"
          ? strings.computing
          : status.kind === "searching"
            ? strings.searching
            : status.kind === "error"
              ? status.message
              : status.kind === "done" && results.length === 0
                ? strings.none
                : ""}
      </p>
      {results.length > 0 && (
        <section aria-labelledby="image-results">
          <h2 id="image-results">{strings.results}</h2>
          <div className="grid" data-testid="image-results">
            {results.map((r) => (
              <ProductCard
                key={r.product.id}
                product={r.product}
                locale={props.locale}
                note={strings.similarity.replace("{percent}", String(Math.round(r.similarity * 100)))}
              />
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
