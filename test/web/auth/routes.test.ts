// The SIWE route handlers (and the session-checked account/order routes) called directly as the
// App Router calls them (a Request in, a Response out) against a real migrated database: the
// contract the wallet UI and the browser tests rely on, and every refusal's status and message.

import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../commerce/support/test-database.ts";

const ORIGIN = "http://127.0.0.1:3999";
const CHAIN_ID = 31337;
const COOKIE = "__Host-neocart_session";

let t: TestDatabase;
let routes: {
  nonce: typeof import("../../../app/api/auth/nonce/route.ts");
  signIn: typeof import("../../../app/api/auth/sign-in/route.ts");
  signOut: typeof import("../../../app/api/auth/sign-out/route.ts");
  session: typeof import("../../../app/api/auth/session/route.ts");
  exportData: typeof import("../../../app/api/account/export/route.ts");
  orderStatus: typeof import("../../../app/api/orders/[id]/status/route.ts");
};

beforeAll(async () => {
  t = await createTestDatabase("web_auth_routes", 5547);
  // The app reads its settings from the environment once, on first use: set them before any route runs.
  process.env.DATABASE_URL = t.url;
  process.env.NEOCART_ORIGIN = ORIGIN;
  process.env.NEOCART_CHAIN_ID = String(CHAIN_ID);
  // Nothing listens here: only smart-contract wallet signatures would need the chain.
  process.env.NEOCART_RPC_URL = "http://127.0.0.1:9";
  routes = {
    nonce: await import("../../../app/api/auth/nonce/route.ts"),
    signIn: await import("../../../app/api/auth/sign-in/route.ts"),
    signOut: await import("../../../app/api/auth/sign-out/route.ts"),
    session: await import("../../../app/api/auth/session/route.ts"),
    exportData: await import("../../../app/api/account/export/route.ts"),
    orderStatus: await import("../../../app/api/orders/[id]/status/route.ts"),
  };
});
afterAll(async () => {
  const holder = globalThis as { __neocartDb?: { $client: { end(): Promise<void> } } };
  await holder.__neocartDb?.$client.end();
  holder.__neocartDb = undefined;
  await t?.stop();
});

let clientNumber = 0;
/** Headers of a same-origin browser request, each test from its own client address (rate limit). */
function browserHeaders(extra: Record<string, string> = {}): Record<string, string> {
  clientNumber += 1;
  return {
    origin: ORIGIN,
    "sec-fetch-site": "same-origin",
    "content-type": "application/json",
    "x-forwarded-for": `203.0.113.${clientNumber}`,
    ...extra,
  };
}

async function nonce(): Promise<string> {
  const response = await routes.nonce.GET();
  return ((await response.json()) as { nonce: string }).nonce;
}

async function signedBody(account: PrivateKeyAccount, overrides: { domain?: string; chainId?: number } = {}) {
  const message = createSiweMessage({
    address: account.address,
    domain: overrides.domain ?? new URL(ORIGIN).host,
    uri: ORIGIN,
    chainId: overrides.chainId ?? CHAIN_ID,
    version: "1",
    nonce: await nonce(),
    issuedAt: new Date(),
    statement: "Sign in to NeoCart.",
  });
  return { message, signature: await account.signMessage({ message }) };
}

function post(path: string, body: unknown, headers: Record<string, string>): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function get(path: string, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}${path}`, { headers });
}

function sessionToken(response: Response): string {
  const cookie = response.headers.get("set-cookie") ?? "";
  expect(cookie).toMatch(
    new RegExp(`^${COOKIE}=[A-Za-z0-9_-]{43}; Path=/; Max-Age=\\d+; HttpOnly; Secure; SameSite=Lax$`),
  );
  return cookie.slice(COOKIE.length + 1).split(";")[0] as string;
}

async function signedIn(account = privateKeyToAccount(generatePrivateKey())) {
  const response = await routes.signIn.POST(post("/api/auth/sign-in", await signedBody(account), browserHeaders()));
  expect(response.status).toBe(200);
  return { account, token: sessionToken(response), body: (await response.json()) as Record<string, unknown> };
}

describe("GET /api/auth/nonce", () => {
  it("answers a fresh 128-bit hex nonce, never cached", async () => {
    const first = await routes.nonce.GET();
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const { nonce: a } = (await first.json()) as { nonce: string };
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await nonce()).not.toBe(a);
  });
});

describe("POST /api/auth/sign-in", () => {
  it("signs in a new wallet as a shopper and sets the session cookie", async () => {
    const { account, token, body } = await signedIn();
    expect(body).toEqual({ address: account.address, userId: expect.any(String), roles: ["shopper"] });
    const session = await routes.session.GET(get("/api/auth/session", { cookie: `${COOKIE}=${token}` }));
    expect(await session.json()).toEqual({ address: account.address.toLowerCase(), roles: ["shopper"] });
  });

  it("refuses a request from another site (403) and one with no Origin or Sec-Fetch-Site", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const crossSite = await routes.signIn.POST(
      post(
        "/api/auth/sign-in",
        await signedBody(account),
        browserHeaders({ origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
      ),
    );
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ code: "cross_site", error: expect.stringContaining(ORIGIN) });

    const bare = await routes.signIn.POST(
      new Request(`${ORIGIN}/api/auth/sign-in`, { method: "POST", body: JSON.stringify(await signedBody(account)) }),
    );
    expect(bare.status).toBe(403);
  });

  it("answers 400 with what to fix for a body that is not JSON or lacks the signature", async () => {
    const notJson = await routes.signIn.POST(post("/api/auth/sign-in", "message=hi", browserHeaders()));
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: "invalid_input", error: expect.stringMatching(/JSON/) });

    const noSignature = await routes.signIn.POST(post("/api/auth/sign-in", { message: "hi" }, browserHeaders()));
    expect(noSignature.status).toBe(400);
    expect(((await noSignature.json()) as { error: string }).error).toMatch(/signature/);
  });

  it("answers 401 for a message made for another site or chain, and for a replayed message", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const otherDomain = await routes.signIn.POST(
      post("/api/auth/sign-in", await signedBody(account, { domain: "evil.example" }), browserHeaders()),
    );
    expect(otherDomain.status).toBe(401);
    expect(await otherDomain.json()).toMatchObject({ code: "wrong_domain" });

    const otherChain = await routes.signIn.POST(
      post("/api/auth/sign-in", await signedBody(account, { chainId: 1 }), browserHeaders()),
    );
    expect(otherChain.status).toBe(401);
    expect(await otherChain.json()).toMatchObject({ code: "wrong_chain" });

    const body = await signedBody(account);
    expect((await routes.signIn.POST(post("/api/auth/sign-in", body, browserHeaders()))).status).toBe(200);
    const replay = await routes.signIn.POST(post("/api/auth/sign-in", body, browserHeaders()));
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ code: "nonce_used", error: expect.stringMatching(/new nonce/) });
  });

  it("rate-limits one client address with 429 and Retry-After", async () => {
    const headers = browserHeaders();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 11; i += 1) {
      last = await routes.signIn.POST(post("/api/auth/sign-in", { message: "x", signature: "0x00" }, headers));
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last?.json()).toMatchObject({ code: "rate_limited" });
  });

  it("revokes the session the browser already had (rotation)", async () => {
    const first = await signedIn();
    const again = await routes.signIn.POST(
      post(
        "/api/auth/sign-in",
        await signedBody(first.account),
        browserHeaders({ cookie: `${COOKIE}=${first.token}` }),
      ),
    );
    expect(again.status).toBe(200);
    const second = sessionToken(again);
    const old = await routes.session.GET(get("/api/auth/session", { cookie: `${COOKIE}=${first.token}` }));
    expect(await old.json()).toEqual({ address: null });
    const current = await routes.session.GET(get("/api/auth/session", { cookie: `${COOKIE}=${second}` }));
    expect(((await current.json()) as { address: string }).address).toBe(first.account.address.toLowerCase());
  });
});

describe("POST /api/auth/sign-out and GET /api/auth/session", () => {
  it("answers { address: null } without a session", async () => {
    const response = await routes.session.GET(get("/api/auth/session"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ address: null });
  });

  it("revokes the session and clears the cookie; cross-site sign-out is refused", async () => {
    const { token } = await signedIn();
    const crossSite = await routes.signOut.POST(
      post("/api/auth/sign-out", "", { origin: "https://evil.example", cookie: `${COOKIE}=${token}` }),
    );
    expect(crossSite.status).toBe(403);

    const response = await routes.signOut.POST(
      post("/api/auth/sign-out", "", browserHeaders({ cookie: `${COOKIE}=${token}` })),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBe(`${COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`);
    const after = await routes.session.GET(get("/api/auth/session", { cookie: `${COOKIE}=${token}` }));
    expect(await after.json()).toEqual({ address: null });
  });
});

describe("session-checked routes", () => {
  it("GET /api/account/export: 401 signed out, a JSON attachment of the person's data, 429 after 5 an hour", async () => {
    expect((await routes.exportData.GET(get("/api/account/export"))).status).toBe(401);
    const { account, token } = await signedIn();
    const cookie = `${COOKIE}=${token}`;
    const response = await routes.exportData.GET(get("/api/account/export", { cookie }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="neocart-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const data = (await response.json()) as { wallets: { address: string }[]; onChain: { summary: string } };
    expect(data.wallets.map((w) => w.address)).toEqual([account.address.toLowerCase()]);
    expect(data.onChain.summary).toContain(account.address.toLowerCase());
    for (let i = 0; i < 4; i += 1) {
      expect((await routes.exportData.GET(get("/api/account/export", { cookie }))).status).toBe(200);
    }
    const limited = await routes.exportData.GET(get("/api/account/export", { cookie }));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: expect.stringMatching(/data exports/) });
  });

  it("GET /api/orders/:id/status: 401 signed out, 400 for a bad id, 404 for an order that is not yours", async () => {
    const context = (id: string) => ({ params: Promise.resolve({ id }) });
    const id = "00000000-0000-4000-8000-000000000000";
    expect((await routes.orderStatus.GET(get(`/api/orders/${id}/status`), context(id))).status).toBe(401);
    const { token } = await signedIn();
    const cookie = `${COOKIE}=${token}`;
    expect((await routes.orderStatus.GET(get("/api/orders/x/status", { cookie }), context("x"))).status).toBe(400);
    const missing = await routes.orderStatus.GET(get(`/api/orders/${id}/status`, { cookie }), context(id));
    expect(missing.status).toBe(404);
  });
});
