// Signing in without the wallet UI, for tests that are not about sign-in: the same EIP-4361 round
// trip a browser makes (GET /api/auth/nonce, sign, POST /api/auth/sign-in {message, signature}),
// then the session cookie it returns goes into the browser context.
import type { BrowserContext } from "playwright-core";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import type { DevAccount } from "../../../scripts/web/dev-accounts.ts";
import { query, webStack } from "./stack.ts";

export const SESSION_COOKIE = "__Host-neocart_session";

export type SignedIn = { token: string; address: string };

/** The session cookie of a fresh sign-in of `who` (an account from webStack().accounts). */
export async function signInSession(who: DevAccount): Promise<SignedIn> {
  const stack = webStack();
  const origin = stack.origin;
  // The route counts sign-ins per client address (10 per 15 minutes); every test signs in from
  // 127.0.0.1, so the budget is reset here rather than spread across unrelated tests.
  await query("delete from commerce.auth_rate_limits where bucket like 'sign-in:%'");

  const nonceResponse = await fetch(`${origin}/api/auth/nonce`, { headers: { origin } });
  if (!nonceResponse.ok) {
    throw new Error(
      `GET /api/auth/nonce answered ${nonceResponse.status}: ${(await nonceResponse.text()).slice(0, 300)}`,
    );
  }
  const { nonce } = (await nonceResponse.json()) as { nonce: string };
  const account = privateKeyToAccount(who.privateKey);
  const url = new URL(origin);
  const message = createSiweMessage({
    domain: url.host,
    address: account.address,
    statement: "Sign in to NeoCart.",
    uri: origin,
    version: "1",
    chainId: stack.chainId,
    nonce,
    issuedAt: new Date(),
  });
  const signature = await account.signMessage({ message });
  const response = await fetch(`${origin}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ message, signature }),
  });
  if (!response.ok) {
    throw new Error(`POST /api/auth/sign-in answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  const token = cookie?.slice(SESSION_COOKIE.length + 1).split(";")[0];
  if (!token) throw new Error(`POST /api/auth/sign-in set no ${SESSION_COOKIE} cookie`);
  return { token, address: account.address };
}

/** Puts a session token into the context as the browser would keep it. */
export async function addSessionCookie(context: BrowserContext, token: string): Promise<void> {
  await context.addCookies([
    {
      name: SESSION_COOKIE,
      value: token,
      // As Chromium stores the cookie from Set-Cookie on http://127.0.0.1 (a secure context):
      // host 127.0.0.1, path /, Secure (a `url` instead of domain+path is refused for __Host-).
      domain: new URL(webStack().origin).hostname,
      path: "/",
      secure: true,
      httpOnly: true,
      sameSite: "Lax",
    },
  ]);
}

/** Signs `who` in through the app's routes and gives the context its session. */
export async function signIn(context: BrowserContext, who: DevAccount): Promise<SignedIn> {
  const session = await signInSession(who);
  await addSessionCookie(context, session.token);
  return session;
}

/**
 * A session written straight into the database (as lib/auth's sign-in would), for when the
 * sign-in routes are beside the point or not built yet. Prefer signIn(): it exercises the routes.
 */
export async function signInViaDatabase(context: BrowserContext, who: DevAccount): Promise<SignedIn> {
  const { createSession } = await import("../../../lib/auth/sessions.ts");
  const { closeDb, createDb } = await import("../../../lib/db/client.ts");
  const address = who.address.toLowerCase();
  const [wallet] = await query<{ user_id: string }>("select user_id from commerce.wallets where address = $1", [
    address,
  ]);
  if (!wallet)
    throw new Error(`no user owns ${who.address}; the e2e fixtures create users for the stack's accounts only`);
  const db = createDb(webStack().urls.database, { max: 1 });
  try {
    const { token } = await createSession(db, { userId: wallet.user_id, address, now: new Date() });
    await addSessionCookie(context, token);
    return { token, address: who.address };
  } finally {
    await closeDb(db);
  }
}
