// Refusals of the video and live modules. They are CommerceErrors, so the storefront's
// shopperMessage() and route handlers answer them with their status and message as they are.
import { CommerceError } from "../pricing/errors.ts";

export class VideoInputError extends CommerceError {
  override name = "VideoInputError";
  constructor(message: string) {
    super("invalid_input", 400, message);
  }
}

export class VideoNotFoundError extends CommerceError {
  override name = "VideoNotFoundError";
  constructor(what: string) {
    super("not_found", 404, `${what} does not exist; check the link.`);
  }
}

export class ProductNotOfferedError extends CommerceError {
  override name = "ProductNotOfferedError";
  constructor(productId: string) {
    super("product_not_offered", 409, `Product ${productId} has no offer in stock right now; try again later.`);
  }
}

/** Turns zod issues into one sentence naming each offending field. */
export function describeIssues(what: string, issues: { path: PropertyKey[]; message: string }[]): string {
  const parts = issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join(".")}: ` : "") + i.message);
  return `${what} is invalid: ${parts.join("; ")}.`;
}
