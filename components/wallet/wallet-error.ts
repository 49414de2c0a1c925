// Turns wallet and network failures into one sentence for the person: a declined request is not
// an error worth a stack trace, and viem's short message is the readable part of the rest.
import { BaseError, UserRejectedRequestError } from "viem";

export type WalletErrorStrings = { rejected: string; failed: string };

export function isUserRejection(error: unknown): boolean {
  if (error instanceof BaseError) {
    return error.walk((e) => e instanceof UserRejectedRequestError) instanceof UserRejectedRequestError;
  }
  return (error as { code?: number })?.code === 4001;
}

export function describeWalletError(error: unknown, strings: WalletErrorStrings): string {
  if (isUserRejection(error)) return strings.rejected;
  const reason =
    error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  return strings.failed.replace("{reason}", reason);
}
