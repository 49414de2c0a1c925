"use client";
// Time left until the pool's deadline, ticking each second. Not a live region: a screen reader
// would hear it every second; the deadline's date is on the page in words.
import { useEffect, useState } from "react";

function left(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d > 0 ? `${d}d ` : ""}${pad(h)}:${pad(m)}:${pad(s)}`;
}

export function Countdown(props: { deadline: number; endsIn: string; ended: string }) {
  // null until mounted, so the server and the first client render agree.
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Math.floor(Date.now() / 1000));
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000);
    return () => clearInterval(timer);
  }, []);
  if (now === null) return <p className="muted">&nbsp;</p>;
  const remaining = props.deadline - now;
  return (
    <p className="muted" data-testid="pool-countdown">
      {remaining > 0 ? props.endsIn.replace("{time}", left(remaining)) : props.ended}
    </p>
  );
}
