"use client";
// The video page's player: the browser's own <video> with controls. As playback (or a seek)
// enters a placement's window, that product's card shows beside the video and a polite live
// region names it; the chapter list lets keyboard users jump straight to each placement.
import Link from "next/link";
import { useCallback, useRef, useState } from "react";
import { addPlacementToCart } from "../../app/videos/actions.ts";
import { ActionForm } from "../cart/action-form.tsx";
import { fill, formatClock } from "./fill.ts";

export type PlayerProduct = {
  slug: string;
  title: string;
  imageUrl: string | null;
  price: string | null;
  inStock: boolean;
};
export type PlayerPlacement = {
  id: string;
  startSeconds: number;
  endSeconds: number;
  label: string;
  product: PlayerProduct;
};

export type PlayerStrings = {
  nowShowing: string;
  nothingShowing: string;
  announce: string;
  view: string;
  addToCart: string;
  adding: string;
  goToCart: string;
  outOfStock: string;
  chapters: string;
  chaptersHint: string;
  noSupport: string;
  download: string;
};

const activeAt = (placements: readonly PlayerPlacement[], time: number) =>
  placements.find((p) => time >= p.startSeconds && time < p.endSeconds);

export function ShoppablePlayer(props: {
  sourceUrl: string;
  sourceType: string;
  posterUrl: string | null;
  title: string;
  placements: PlayerPlacement[];
  strings: PlayerStrings;
}) {
  const { placements, strings } = props;
  const video = useRef<HTMLVideoElement>(null);
  const [active, setActive] = useState<PlayerPlacement | undefined>(undefined);

  const follow = useCallback(() => {
    const element = video.current;
    if (!element) return;
    const next = activeAt(placements, element.currentTime);
    // Only a change re-renders, so the live region speaks once per card, not four times a second.
    setActive((current) => (current?.id === next?.id ? current : next));
  }, [placements]);

  const jump = (placement: PlayerPlacement) => {
    const element = video.current;
    if (!element) return;
    // A hair past the start, so rounding of the media clock cannot land just before the window.
    element.currentTime = placement.startSeconds + 0.05;
    setActive(placement);
  };

  return (
    <div className="stack">
      <div className="video-layout">
        <div className="video-frame">
          {/* biome-ignore lint/a11y/useMediaCaption: the demo clips have no speech; captions would be empty */}
          <video
            ref={video}
            controls
            playsInline
            preload="metadata"
            poster={props.posterUrl ?? undefined}
            aria-label={props.title}
            data-testid="video-player"
            data-active-placement={active?.id ?? ""}
            onTimeUpdate={follow}
            onSeeked={follow}
            onLoadedMetadata={follow}
          >
            <source src={props.sourceUrl} type={props.sourceType} />
            <p>
              {strings.noSupport} <a href={props.sourceUrl}>{strings.download}</a>
            </p>
          </video>
        </div>
        <section className="card stack" aria-labelledby="video-now-showing">
          <h2 id="video-now-showing">{strings.nowShowing}</h2>
          <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {active ? fill(strings.announce, { label: active.label, title: active.product.title }) : ""}
          </p>
          {active ? (
            <article className="stack" data-testid="placement-card" data-placement-id={active.id} key={active.id}>
              {active.product.imageUrl && (
                // biome-ignore lint/performance/noImgElement: catalog images are small local SVGs; next/image adds nothing
                <img src={active.product.imageUrl} alt="" width={160} height={160} className="video-product-image" />
              )}
              <p className="badge">{active.label}</p>
              <h3 className="video-product-title">{active.product.title}</h3>
              {active.product.price && <p className="price">{active.product.price}</p>}
              {!active.product.inStock && <p className="badge badge-warn">{strings.outOfStock}</p>}
              <p className="row">
                <Link
                  href={`/product/${active.product.slug}`}
                  className="button button-secondary"
                  data-testid="placement-view"
                >
                  {strings.view}
                </Link>
                <Link href="/cart">{strings.goToCart}</Link>
              </p>
              <ActionForm
                action={addPlacementToCart}
                hidden={{ placementId: active.id }}
                submitLabel={strings.addToCart}
                pendingLabel={strings.adding}
                className="stack"
                testId="placement-add"
              />
            </article>
          ) : (
            <p className="muted" data-testid="placement-empty">
              {strings.nothingShowing}
            </p>
          )}
        </section>
      </div>
      {placements.length > 0 && (
        <section className="card stack" aria-labelledby="video-chapters">
          <h2 id="video-chapters">{strings.chapters}</h2>
          <p className="muted">{strings.chaptersHint}</p>
          <ol className="video-chapters">
            {placements.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="button-secondary"
                  aria-current={active?.id === p.id ? "true" : undefined}
                  data-testid="video-chapter"
                  data-placement-id={p.id}
                  onClick={() => jump(p)}
                >
                  <span className="mono">{formatClock(p.startSeconds)}</span> {p.label}
                  <span className="muted"> · {p.product.title}</span>
                </button>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
