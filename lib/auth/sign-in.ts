// Sign-In with Ethereum (EIP-4361): checks the message against this site, the nonce, its validity
// window and the signature, then finds or creates the user and starts a fresh session.
import { eq, sql } from "drizzle-orm";
import type { Address } from "viem";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { userRoles, users, wallets } from "../db/schema.ts";
import { AuthError, invalidInput } from "./errors.ts";
import { consumeNonce } from "./nonces.ts";
import { parseSignInMessage, type SignInMessage } from "./parse-sign-in-message.ts";
import { hitRateLimit, type RateLimit, SIGN_IN_RATE_LIMIT } from "./rate-limit.ts";
import { sessionCookie } from "./session-cookie.ts";
import { createSession, revokeSession, SESSION_TTL_SECONDS } from "./sessions.ts";
import { isSignedBy, type SignatureVerifierClient } from "./verify-signature.ts";

const signInInputSchema = z.strictObject({
  message: z.string().min(1, "the signed message is missing"),
  // 65-byte ECDSA signatures are 132 characters; ERC-6492 wrapped ones carry deploy data.
  signature: z
    .string()
    .max(20_000, "the signature is too long")
    .regex(/^0x(?:[0-9a-fA-F]{2})+$/, "the signature must be 0x-prefixed hex"),
});

const signInSettingsSchema = z.object({
  /** Our RFC 3986 authority, e.g. "neocart.example" (host[:port]). */
  domain: z.string().min(1),
  /** Our origin, e.g. "https://neocart.example": the message's URI must be on it. */
  origin: z.url(),
  /** Chains a sign-in may name. */
  chainIds: z.array(z.number().int().positive()).min(1),
  now: z.date().optional(),
  /** Who is asking, for the rate limit (the client's IP address). */
  clientKey: z.string().min(1).max(200),
  /** The session cookie the browser sent, if any: it is revoked (rotation). */
  previousSessionToken: z.string().optional(),
  /** Allowed clock difference between the wallet and us for "Issued At". */
  clockSkewSeconds: z
    .number()
    .int()
    .nonnegative()
    .default(5 * 60),
  sessionTtlSeconds: z.number().int().positive().default(SESSION_TTL_SECONDS),
});

export type SignInSettings = z.input<typeof signInSettingsSchema> & {
  /** Public clients by chain id, to verify smart-contract wallet (ERC-1271/6492) signatures. */
  publicClients?: Partial<Record<number, SignatureVerifierClient>>;
  rateLimit?: RateLimit;
};

export type SignInResult = {
  userId: string;
  address: Address;
  isNewUser: boolean;
  token: string;
  expiresAt: Date;
  /** The Set-Cookie header value carrying the new session. */
  cookie: string;
};

function checkAgainstSite(message: SignInMessage, settings: z.output<typeof signInSettingsSchema>, now: Date): void {
  const ours = new URL(settings.origin);
  if (message.domain !== settings.domain) {
    throw new AuthError(
      "wrong_domain",
      `The sign-in message is for domain ${message.domain}; sign in on ${settings.domain}.`,
    );
  }
  if (message.scheme !== undefined && `${message.scheme}:` !== ours.protocol) {
    throw new AuthError(
      "wrong_domain",
      `The sign-in message is for ${message.scheme}://${message.domain}; sign in on ${ours.origin}.`,
    );
  }
  if (new URL(message.uri).origin !== ours.origin) {
    throw new AuthError(
      "wrong_uri",
      `The sign-in message's URI ${message.uri} is not on ${ours.origin}; sign in there.`,
    );
  }
  if (!settings.chainIds.includes(message.chainId)) {
    throw new AuthError(
      "wrong_chain",
      `The sign-in message names chain ${message.chainId}; switch your wallet to chain ${settings.chainIds.join(" or ")} and sign again.`,
    );
  }
  if (message.expirationTime && message.expirationTime.getTime() <= now.getTime()) {
    throw new AuthError(
      "message_expired",
      `The sign-in message expired at ${message.expirationTime.toISOString()}; request a new nonce and sign again.`,
    );
  }
  if (message.notBefore && message.notBefore.getTime() > now.getTime()) {
    throw new AuthError(
      "message_not_yet_valid",
      `The sign-in message is valid only from ${message.notBefore.toISOString()}; wait until then or sign a new one.`,
    );
  }
  if (message.issuedAt.getTime() > now.getTime() + settings.clockSkewSeconds * 1000) {
    throw new AuthError(
      "message_not_yet_valid",
      `The sign-in message says it was issued at ${message.issuedAt.toISOString()}, in the future; check your device's clock and sign again.`,
    );
  }
}

/** Finds the user owning `address`, or creates one (wallet linked, role shopper). */
async function findOrCreateUser(
  tx: Parameters<Parameters<Db["transaction"]>[0]>[0],
  address: string,
  now: Date,
): Promise<{ userId: string; isNewUser: boolean }> {
  // Two first sign-ins of one wallet at once must not create two users: serialise per address.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`wallet:${address}`}, 0))`);
  const [linked] = await tx.select({ userId: wallets.userId }).from(wallets).where(eq(wallets.address, address));
  if (linked) return { userId: linked.userId, isNewUser: false };
  const [user] = await tx.insert(users).values({ createdAt: now }).returning({ id: users.id });
  if (!user) throw new Error("insert into commerce.users returned no row");
  await tx.insert(wallets).values({ address, userId: user.id, linkedAt: now });
  await tx.insert(userRoles).values({ userId: user.id, role: "shopper", grantedAt: now });
  return { userId: user.id, isNewUser: true };
}

export async function signIn(db: Db, input: unknown, settingsInput: SignInSettings): Promise<SignInResult> {
  const settingsParsed = signInSettingsSchema.safeParse(settingsInput);
  if (!settingsParsed.success) throw invalidInput("The sign-in configuration", settingsParsed.error.issues);
  const settings = settingsParsed.data;
  const now = settings.now ?? new Date();

  // Count the attempt before any work, so bad attempts use up the budget too.
  await hitRateLimit(db, `sign-in:${settings.clientKey}`, settingsInput.rateLimit ?? SIGN_IN_RATE_LIMIT, now);

  const parsed = signInInputSchema.safeParse(input);
  if (!parsed.success) throw invalidInput("The sign-in request", parsed.error.issues);
  const { message: text, signature } = parsed.data;

  const message = parseSignInMessage(text);
  checkAgainstSite(message, settings, now);

  const signed = await isSignedBy({
    address: message.address,
    message: text,
    signature: signature as `0x${string}`,
    client: settingsInput.publicClients?.[message.chainId],
  });
  if (!signed) {
    throw new AuthError(
      "bad_signature",
      `The signature was not made by ${message.address}; sign the message with that wallet (smart-contract wallets need chain ${message.chainId} to be reachable).`,
    );
  }

  const address = message.address.toLowerCase();
  const session = await db.transaction(async (tx) => {
    await consumeNonce(tx, message.nonce, now);
    const user = await findOrCreateUser(tx, address, now);
    // Rotation: whatever session the browser had ends here, so a token planted before sign-in
    // (session fixation) or left over from another account is useless afterwards.
    if (settings.previousSessionToken) await revokeSession(tx, settings.previousSessionToken, now);
    const created = await createSession(tx, {
      userId: user.userId,
      address,
      now,
      ttlSeconds: settings.sessionTtlSeconds,
    });
    return { ...user, ...created };
  });

  return {
    userId: session.userId,
    address: message.address,
    isNewUser: session.isNewUser,
    token: session.token,
    expiresAt: session.expiresAt,
    cookie: sessionCookie(session.token, settings.sessionTtlSeconds),
  };
}
