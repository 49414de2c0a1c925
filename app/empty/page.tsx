// An empty page of the same build: `npm run bench:web` measures every route's JavaScript against
// this one, the cost of the framework and the shared layout alone.
import type { Metadata } from "next";

export const metadata: Metadata = { title: "Empty", robots: { index: false, follow: false } };

export default function EmptyPage() {
  return (
    <>
      <h1 className="visually-hidden">Empty page</h1>
      <p className="muted">This page is intentionally empty.</p>
    </>
  );
}
