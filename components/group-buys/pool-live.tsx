"use client";
// The pool's figures as they change: polls the pool's JSON every 2 s while the page is open and
// announces the pledged count politely, so people watching see the pool fill without reloading.
import { useEffect, useState } from "react";
import type { PoolSnapshot } from "../../lib/group-buys/pool-snapshot.ts";
import { formatTokenAmount } from "../dashboard/token-amount.ts";
import { Countdown } from "./countdown.tsx";
import styles from "./group-buys.module.css";

const POLL_MS = 2000;

export type PoolLiveStrings = {
  progress: string;
  progressLabel: string;
  endsIn: string;
  ended: string;
  pledges: string;
  noPledges: string;
  pledger: string;
  units: string;
  amount: string;
  pledgeState: string;
  status: Record<PoolSnapshot["status"], string>;
  pledgeStates: { pledged: string; settled: string; refunded: string };
};

function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => String(vars[k] ?? m));
}

export function PoolLive(props: { initial: PoolSnapshot; stablecoin?: string; strings: PoolLiveStrings }) {
  const [pool, setPool] = useState(props.initial);
  const s = props.strings;

  useEffect(() => {
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/api/group-buys/${props.initial.poolId}`, { cache: "no-store" });
        if (!response.ok || stopped) return;
        setPool((await response.json()) as PoolSnapshot);
      } catch {
        // A missed poll is retried on the next tick.
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [props.initial.poolId]);

  const minPercent = Math.min(100, (pool.minUnits / pool.maxUnits) * 100);
  return (
    <div className="stack" data-testid="pool-live" data-status={pool.status}>
      <p>
        <span
          className={`badge ${pool.status === "filled" ? "badge-ok" : pool.status === "failed" ? "badge-bad" : "badge-warn"}`}
          data-testid="pool-status"
        >
          {s.status[pool.status]}
        </span>
      </p>
      <div className={styles.progress}>
        <progress
          className={styles.bar}
          max={pool.maxUnits}
          value={pool.pledgedUnits}
          aria-label={s.progressLabel}
          data-testid="pool-progress"
        />
        {/* The minimum marker is decoration; the sentence below says the same in words. */}
        <span className={styles.minMark} style={{ left: `${minPercent}%` }} aria-hidden="true" />
      </div>
      <p role="status" aria-live="polite" data-testid="pool-pledged" data-units={pool.pledgedUnits}>
        {fill(s.progress, { pledged: pool.pledgedUnits, min: pool.minUnits, max: pool.maxUnits })}
      </p>
      <Countdown deadline={pool.deadline} endsIn={s.endsIn} ended={s.ended} />
      <h2>{s.pledges}</h2>
      {pool.pledges.length === 0 ? (
        <p className="muted">{s.noPledges}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="pool-pledges">
            <thead>
              <tr>
                <th scope="col">{s.pledger}</th>
                <th scope="col">{s.units}</th>
                <th scope="col">{s.amount}</th>
                <th scope="col">{s.pledgeState}</th>
              </tr>
            </thead>
            <tbody>
              {pool.pledges.map((p) => (
                <tr
                  key={p.pledger}
                  data-testid="pool-pledge"
                  data-pledger={p.pledger.toLowerCase()}
                  data-state={p.settled ? "settled" : p.refunded ? "refunded" : "pledged"}
                >
                  <td className="mono" title={p.pledger}>
                    {p.pledger.slice(0, 6)}…{p.pledger.slice(-4)}
                  </td>
                  <td>{p.units}</td>
                  <td>{formatTokenAmount(p.amount, pool.token, props.stablecoin)}</td>
                  <td>
                    {p.settled ? s.pledgeStates.settled : p.refunded ? s.pledgeStates.refunded : s.pledgeStates.pledged}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
