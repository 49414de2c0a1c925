// Sign-in, sessions and roles for the app's server actions and route handlers.
export { AuthError, type AuthErrorCode } from "./errors.ts";
export { DEFAULT_NONCE_TTL_SECONDS, issueNonce, purgeExpiredNonces } from "./nonces.ts";
export { MAX_MESSAGE_BYTES, parseSignInMessage, type SignInMessage } from "./parse-sign-in-message.ts";
export { hitRateLimit, type RateLimit, SIGN_IN_RATE_LIMIT } from "./rate-limit.ts";
export { grantRole, hasRole, listRoles, requireRole, requireSession, revokeRole } from "./roles.ts";
export { assertSameOrigin, type RequestLike } from "./same-origin.ts";
export { clearedSessionCookie, readSessionToken, SESSION_COOKIE_NAME, sessionCookie } from "./session-cookie.ts";
export { getSession, revokeAllSessions, SESSION_TTL_SECONDS, type Session, signOut } from "./sessions.ts";
export { type SignInResult, type SignInSettings, signIn } from "./sign-in.ts";
export type { SignatureVerifierClient } from "./verify-signature.ts";
