"use client";
// Live tracking of one shipment on the orders page: starts from the server-rendered view, then
// follows /api/tracking/<id>/events (a `snapshot` on every (re)connect, then one `tracking` event
// per stored telemetry message). Only type imports from lib/tracking: its runtime modules are
// server-side (PostgreSQL, MQTT) and must stay out of the browser bundle.
import { useEffect, useState } from "react";
import type { TrackingUpdate } from "../../lib/tracking/notifications.ts";
import type { ShipmentView, TrackingSnapshot } from "../../lib/tracking/shipments.ts";
import type { ShipmentStatus } from "../../lib/tracking/statuses.ts";
import styles from "./live-tracking.module.css";
import { RouteMap } from "./route-map.tsx";
import type { TrackingStrings } from "./tracking-strings.ts";

type Reading = { seq: number; position: { lat: number; lon: number }; temperatureC: number | null };
type State = {
  status: ShipmentStatus;
  position: { lat: number; lon: number } | null;
  temperatureC: number | null;
  carbonTotalGrams: number;
  eta: string | null;
  readings: Reading[];
};
type Connection = "connecting" | "open" | "retrying";

const fromView = (s: ShipmentView): State => ({
  status: s.status,
  position: s.position,
  temperatureC: null,
  carbonTotalGrams: s.carbonTotalGrams,
  eta: s.eta,
  readings: [],
});

function fromSnapshot(snapshot: TrackingSnapshot): State {
  const readings = snapshot.events.map((e) => ({ seq: e.seq, position: e.position, temperatureC: e.temperatureC }));
  const newest = readings[readings.length - 1];
  return { ...fromView(snapshot.shipment), temperatureC: newest?.temperatureC ?? null, readings };
}

function applyUpdate(state: State, u: TrackingUpdate): State {
  if (state.readings.some((r) => r.seq === u.seq)) return state;
  const readings = [...state.readings, { seq: u.seq, position: u.position, temperatureC: u.temperatureC }].sort(
    (a, b) => a.seq - b.seq,
  );
  // An out-of-order event joins the route but does not move the parcel's current state.
  return {
    ...state,
    readings,
    status: u.shipment.status,
    carbonTotalGrams: u.shipment.carbonTotalGrams,
    ...(u.shipment.latest ? { position: u.position, temperatureC: u.temperatureC } : {}),
  };
}

/** Brings the order row's confirm button into view and focus (it exists once the wallet is connected). */
function goToConfirm(from: HTMLElement) {
  const row = from.closest('[data-testid="order-row"]');
  const button = row?.querySelector<HTMLButtonElement>('[data-testid="confirm-delivery"]');
  const target = button ?? row?.querySelector<HTMLElement>('[data-testid="wallet-connect"] button');
  target?.scrollIntoView({ behavior: "smooth", block: "center" });
  target?.focus();
}

export function LiveTracking(props: {
  shipment: ShipmentView;
  /** The order could be confirmed on chain now (escrow "shipped"), so a delivery should prompt it. */
  confirmable: boolean;
  locale: string;
  strings: TrackingStrings;
}) {
  const { shipment, strings } = props;
  const [state, setState] = useState<State>(() => fromView(shipment));
  const [connection, setConnection] = useState<Connection>("connecting");

  useEffect(() => {
    const source = new EventSource(`/api/tracking/${encodeURIComponent(shipment.id)}/events`);
    source.addEventListener("open", () => setConnection("open"));
    source.addEventListener("snapshot", (e) => {
      setState(fromSnapshot(JSON.parse((e as MessageEvent<string>).data) as TrackingSnapshot));
      setConnection("open");
    });
    source.addEventListener("tracking", (e) => {
      const update = JSON.parse((e as MessageEvent<string>).data) as TrackingUpdate;
      setState((s) => applyUpdate(s, update));
    });
    // EventSource reconnects by itself (after the stream's `retry` delay) and gets a fresh snapshot.
    source.addEventListener("error", () => setConnection("retrying"));
    return () => source.close();
  }, [shipment.id]);

  const number = (value: number, digits: number) =>
    new Intl.NumberFormat(props.locale, { maximumFractionDigits: digits }).format(value);
  const carbon =
    state.carbonTotalGrams >= 1000
      ? `${number(state.carbonTotalGrams / 1000, 2)} kg CO₂e`
      : `${number(state.carbonTotalGrams, 1)} g CO₂e`;
  const eta = state.eta
    ? new Intl.DateTimeFormat(props.locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(state.eta))
    : strings.noEta;
  const statusLabel = strings.statuses[state.status];
  const delivered = state.status === "delivered";
  const positions = state.readings.map((r) => r.position);
  if (positions.length === 0 && state.position) positions.push(state.position);
  const headingId = `tracking-${shipment.id}`;

  return (
    <section
      className="stack"
      aria-labelledby={headingId}
      data-testid="tracking-panel"
      data-shipment-id={shipment.id}
      data-status={state.status}
      data-connection={connection}
    >
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h3 id={headingId} style={{ fontSize: "1rem", margin: 0 }}>
          {strings.heading.replace("{carrier}", shipment.carrier)}
        </h3>
        <span className={connection === "open" ? "badge badge-ok" : "badge"} data-testid="tracking-connection">
          {strings.live[connection]}
        </span>
      </div>
      {/* Announced once per status change; the facts below update silently. */}
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="tracking-announcement">
        {strings.announce.replace("{status}", statusLabel)}
      </p>
      <dl className={styles.facts}>
        <div>
          <dt>{strings.status}</dt>
          <dd data-testid="tracking-status" data-status={state.status}>
            <span className={delivered ? "badge badge-ok" : state.status === "exception" ? "badge badge-bad" : "badge"}>
              {statusLabel}
            </span>
          </dd>
        </div>
        <div>
          <dt>{strings.position}</dt>
          <dd className="mono" data-testid="tracking-position">
            {state.position ? `${state.position.lat.toFixed(4)}, ${state.position.lon.toFixed(4)}` : strings.noPosition}
          </dd>
        </div>
        <div>
          <dt>{strings.temperature}</dt>
          <dd data-testid="tracking-temperature">
            {state.temperatureC === null ? strings.noTemperature : `${number(state.temperatureC, 1)} °C`}
          </dd>
        </div>
        <div>
          <dt>{strings.carbon}</dt>
          <dd data-testid="tracking-carbon">{carbon}</dd>
        </div>
        <div>
          <dt>{strings.eta}</dt>
          <dd data-testid="tracking-eta">{eta}</dd>
        </div>
      </dl>
      <RouteMap
        positions={positions}
        title={strings.map.replace("{count}", String(positions.length))}
        empty={strings.mapEmpty}
        listLabel={strings.points}
      />
      {delivered && props.confirmable && (
        <p className="notice row" data-testid="tracking-confirm-prompt">
          <strong>{strings.confirmPrompt}</strong>
          <button
            type="button"
            className="button-secondary"
            data-testid="tracking-confirm-go"
            onClick={(e) => goToConfirm(e.currentTarget)}
          >
            {strings.confirmGo}
          </button>
        </p>
      )}
    </section>
  );
}
