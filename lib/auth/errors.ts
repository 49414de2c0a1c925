// One error type for every refusal in sign-in, sessions and roles. `status` is the HTTP status a
// route handler should answer with; `message` tells the person what to do next.

export type AuthErrorCode =
  | "invalid_input"
  | "message_too_large"
  | "malformed_message"
  | "wrong_domain"
  | "wrong_uri"
  | "wrong_chain"
  | "unknown_nonce"
  | "nonce_used"
  | "nonce_expired"
  | "message_expired"
  | "message_not_yet_valid"
  | "bad_signature"
  | "rate_limited"
  | "no_session"
  | "forbidden"
  | "cross_site"
  | "last_admin";

const statusOf: Record<AuthErrorCode, 400 | 401 | 403 | 409 | 429> = {
  invalid_input: 400,
  message_too_large: 400,
  malformed_message: 400,
  wrong_domain: 401,
  wrong_uri: 401,
  wrong_chain: 401,
  unknown_nonce: 401,
  nonce_used: 401,
  nonce_expired: 401,
  message_expired: 401,
  message_not_yet_valid: 401,
  bad_signature: 401,
  rate_limited: 429,
  no_session: 401,
  forbidden: 403,
  cross_site: 403,
  last_admin: 409,
};

export class AuthError extends Error {
  override name = "AuthError";
  readonly code: AuthErrorCode;
  readonly status: 400 | 401 | 403 | 409 | 429;
  /** Seconds until a rate-limited caller may try again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: AuthErrorCode, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.code = code;
    this.status = statusOf[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Turns a zod failure into an AuthError naming the first offending field. */
export function invalidInput(what: string, issues: { path: PropertyKey[]; message: string }[]): AuthError {
  const first = issues[0];
  const where = first && first.path.length > 0 ? ` (${first.path.map(String).join(".")})` : "";
  return new AuthError("invalid_input", `${what} is invalid${where}: ${first?.message ?? "unknown problem"}.`);
}
