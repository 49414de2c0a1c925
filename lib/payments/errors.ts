// Typed failures of the payments module. Each message says what the caller (or operator) should do.

/** A webhook that must be refused with 4xx: the provider (or an attacker) sent something we cannot trust. */
export class WebhookRejectedError extends Error {
  override name = "WebhookRejectedError";
}

/** The provider's API answered with an error, or could not be reached. */
export class ProviderRequestError extends Error {
  override name = "ProviderRequestError";
  readonly provider: string;
  readonly status: number | undefined;
  constructor(provider: string, message: string, status?: number) {
    super(message);
    this.provider = provider;
    this.status = status;
  }
}

/** The order cannot be paid (unknown, already paid, zero total) or refunded as asked. */
export class PaymentRequestError extends Error {
  override name = "PaymentRequestError";
}

/** The settings (environment) are missing or malformed. */
export class PaymentSettingsError extends Error {
  override name = "PaymentSettingsError";
}
