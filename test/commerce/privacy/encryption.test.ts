// Personal data at rest: AES-256-GCM envelopes round-trip, rotate to a new key (old rows stay
// readable, reencryptStoredData moves them), and any tampering is detected.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DecryptionError,
  decryptField,
  encryptField,
  KeyringError,
  keyIdOf,
  loadKeyring,
  parseKeyring,
  reencryptField,
  reencryptStoredData,
} from "../../../lib/crypto/index.ts";
import { users } from "../../../lib/db/schema.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const k1 = randomBytes(32).toString("base64");
const k2 = randomBytes(32).toString("base64");
const before = parseKeyring(`k1:${k1}`);
const rotated = parseKeyring(`k2:${k2},k1:${k1}`);
const afterRemoval = parseKeyring(`k2:${k2}`);

function decryptionError(work: () => unknown): DecryptionError {
  try {
    work();
  } catch (error) {
    if (error instanceof DecryptionError) return error;
    throw error;
  }
  throw new Error("decryption succeeded");
}

describe("envelope encryption", () => {
  it("round-trips text, including unicode and the empty string, with a fresh iv each time", () => {
    for (const text of ["alice@example.com", "Straße 5, 10115 Berlin 🇩🇪", ""]) {
      const a = encryptField(before, text);
      const b = encryptField(before, text);
      expect(a).toMatch(/^v1:k1:[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$/);
      expect(a).not.toBe(b);
      expect(a).not.toContain(text || "\u0000");
      expect(decryptField(before, a)).toBe(text);
    }
  });

  it("rotation: new writes use the first key, old envelopes still decrypt, reencrypt moves them", () => {
    const old = encryptField(before, "+44 20 7946 0000");
    expect(keyIdOf(encryptField(rotated, "x"))).toBe("k2");
    expect(decryptField(rotated, old)).toBe("+44 20 7946 0000");
    const moved = reencryptField(rotated, old);
    expect(keyIdOf(moved)).toBe("k2");
    expect(reencryptField(rotated, moved)).toBe(moved);
    expect(decryptField(afterRemoval, moved)).toBe("+44 20 7946 0000");
    expect(decryptionError(() => decryptField(afterRemoval, old)).message).toMatch(
      /key "k1", which is not in NEOCART_DATA_KEYS; add that key back/,
    );
  });

  it("detects tampering with the ciphertext, the tag, the iv or the key id", () => {
    const envelope = encryptField(rotated, "secret address");
    const [v, id, iv, body] = envelope.split(":") as [string, string, string, string];
    const flip = (b64: string, at: number) => {
      const bytes = Buffer.from(b64, "base64");
      bytes[at] = (bytes[at] ?? 0) ^ 1;
      return bytes.toString("base64");
    };
    const bodyLength = Buffer.from(body, "base64").length;
    const tampered = [
      [v, id, iv, flip(body, 0)], // ciphertext
      [v, id, iv, flip(body, bodyLength - 1)], // tag
      [v, id, flip(iv, 0), body], // iv
      [v, "k1", iv, body], // claims the other key
    ];
    for (const parts of tampered) {
      expect(decryptionError(() => decryptField(rotated, parts.join(":"))).message).toMatch(
        /failed its integrity check/,
      );
    }
    expect(decryptionError(() => decryptField(rotated, "plain@text.com")).message).toMatch(/not an encrypted envelope/);
    expect(decryptionError(() => decryptField(rotated, `${v}:${id}:${iv}:${body.slice(0, 8)}`)).message).toMatch(
      /damaged|integrity/,
    );
  });

  it("parses the keyring strictly, with messages that say how to fix it", () => {
    expect(() => parseKeyring("")).toThrow(KeyringError);
    expect(() => parseKeyring("k1")).toThrow(/"<key id>:<base64 key>"/);
    expect(() => parseKeyring(`k1:${randomBytes(16).toString("base64")}`)).toThrow(/32 random bytes.*openssl rand/);
    expect(() => parseKeyring(`k1:${k1},k1:${k2}`)).toThrow(/twice/);
    expect(() => parseKeyring(`bad:id:${k1}`)).toThrow(/32 random bytes/);
    expect(rotated.current.id).toBe("k2");
    expect([...rotated.byId.keys()]).toEqual(["k2", "k1"]);
  });

  it("uses a dev key with a loud warning outside production only", () => {
    const warnings: string[] = [];
    const sink = (line: string) => {
      warnings.push(line);
    };
    const dev = loadKeyring({ NODE_ENV: "development" }, sink);
    expect(dev.current.id).toBe("dev");
    expect(decryptField(dev, encryptField(dev, "hi"))).toBe("hi");
    loadKeyring({}, sink); // the same sink is warned once
    expect(() => loadKeyring({ NODE_ENV: "production" })).toThrow(/NEOCART_DATA_KEYS is not set; production needs it/);
    expect(loadKeyring({ NODE_ENV: "production", NEOCART_DATA_KEYS: `k2:${k2}` }).current.id).toBe("k2");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/WARNING: NEOCART_DATA_KEYS is not set.*PUBLIC development key/);
  });
});

describe("reencryptStoredData", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("privacy_encryption", 5544);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("moves every encrypted column to the current key and leaves current rows alone", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const [row] = await t.db
        .insert(users)
        .values({
          emailEnc: encryptField(before, `user${i}@example.com`),
          phoneEnc: i % 2 === 0 ? encryptField(before, `+1555000${i}`) : null,
        })
        .returning({ id: users.id });
      ids.push(row?.id as string);
    }
    const [fresh] = await t.db
      .insert(users)
      .values({ emailEnc: encryptField(rotated, "new@example.com") })
      .returning({ id: users.id, emailEnc: users.emailEnc });
    await t.db.$client.query(
      `insert into commerce.orders (kind, user_id, chain_order_id, currency, subtotal_minor, total_minor, status, shipping_address_enc, guest_email_enc)
       values ('fiat', $1, '0x${"ab".repeat(32)}', 'USD', 100, 100, 'paid', $2, $3)`,
      [ids[0], encryptField(before, "1 Main St"), encryptField(before, "guest@example.com")],
    );

    const result = await reencryptStoredData(t.db, rotated, { batchSize: 3 });
    expect(result.byColumn).toEqual({
      "commerce.users.email_enc": 7,
      "commerce.users.phone_enc": 4,
      "commerce.orders.guest_email_enc": 1,
      "commerce.orders.shipping_address_enc": 1,
    });

    for (const [i, id] of ids.entries()) {
      const [row] = await t.db.select().from(users).where(eq(users.id, id));
      expect(decryptField(afterRemoval, row?.emailEnc as string)).toBe(`user${i}@example.com`);
    }
    const [still] = await t.db
      .select()
      .from(users)
      .where(eq(users.id, fresh?.id as string));
    expect(still?.emailEnc).toBe(fresh?.emailEnc);
    const { rows } = await t.db.$client.query("select shipping_address_enc from commerce.orders");
    expect(decryptField(afterRemoval, rows[0].shipping_address_enc)).toBe("1 Main St");
    expect((await reencryptStoredData(t.db, rotated)).rewritten).toBe(0);
  });
});
