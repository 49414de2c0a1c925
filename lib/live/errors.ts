// Refusals of the live-event module (CommerceErrors: status + a message saying what to do).
import { CommerceError } from "../pricing/errors.ts";

export class LiveForbiddenError extends CommerceError {
  override name = "LiveForbiddenError";
  constructor() {
    super("live_forbidden", 403, "Only the event's seller or an admin can host this live event.");
  }
}

export class LiveEndedError extends CommerceError {
  override name = "LiveEndedError";
  constructor() {
    super("live_ended", 409, "This live event has ended; nothing more can be posted or pinned.");
  }
}

export class LiveEventNotFoundError extends CommerceError {
  override name = "LiveEventNotFoundError";
  constructor(eventId: string) {
    super("live_not_found", 404, `There is no live event ${eventId}; check the link.`);
  }
}
