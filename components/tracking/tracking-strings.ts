// The tracking panel's strings, resolved on the server (client components get text, not the catalog).
import type { Translate } from "../../lib/i18n/translate.ts";
import type { ShipmentStatus } from "../../lib/tracking/statuses.ts";

export type TrackingStrings = {
  heading: string;
  status: string;
  statuses: Record<ShipmentStatus, string>;
  announce: string;
  position: string;
  noPosition: string;
  temperature: string;
  noTemperature: string;
  carbon: string;
  eta: string;
  noEta: string;
  map: string;
  mapEmpty: string;
  points: string;
  live: Record<"connecting" | "open" | "retrying", string>;
  confirmPrompt: string;
  confirmGo: string;
};

/** Placeholders ({carrier}, {status}, {count}) are kept for the client to fill. */
export function trackingStrings(t: Translate): TrackingStrings {
  const keep = { carrier: "{carrier}", status: "{status}", count: "{count}" };
  return {
    heading: t("tracking.heading", keep),
    status: t("tracking.status"),
    statuses: {
      label_created: t("tracking.status.label_created"),
      picked_up: t("tracking.status.picked_up"),
      in_transit: t("tracking.status.in_transit"),
      out_for_delivery: t("tracking.status.out_for_delivery"),
      delivered: t("tracking.status.delivered"),
      exception: t("tracking.status.exception"),
    },
    announce: t("tracking.announce", keep),
    position: t("tracking.position"),
    noPosition: t("tracking.noPosition"),
    temperature: t("tracking.temperature"),
    noTemperature: t("tracking.noTemperature"),
    carbon: t("tracking.carbon"),
    eta: t("tracking.eta"),
    noEta: t("tracking.noEta"),
    map: t("tracking.map", keep),
    mapEmpty: t("tracking.mapEmpty"),
    points: t("tracking.points"),
    live: {
      connecting: t("tracking.live.connecting"),
      open: t("tracking.live.open"),
      retrying: t("tracking.live.retrying"),
    },
    confirmPrompt: t("tracking.confirmPrompt"),
    confirmGo: t("tracking.confirmGo"),
  };
}
