// Data-encryption keys from the environment: NEOCART_DATA_KEYS="k2:<base64 32 bytes>,k1:<…>".
// The first key encrypts; every listed key decrypts, so rotating is "put the new key first, run
// reencryptStoredData, then drop the old key".
import { createHash } from "node:crypto";

export type DataKey = { id: string; key: Buffer };
export type Keyring = { current: DataKey; byId: ReadonlyMap<string, DataKey> };

export class KeyringError extends Error {
  override name = "KeyringError";
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses the NEOCART_DATA_KEYS format; throws KeyringError saying which entry is wrong. */
export function parseKeyring(spec: string): Keyring {
  const entries = spec
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0) {
    throw new KeyringError('NEOCART_DATA_KEYS is empty; set it to "<key id>:<base64 of 32 random bytes>".');
  }
  const byId = new Map<string, DataKey>();
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(":");
    const id = colon > 0 ? entry.slice(0, colon) : "";
    const encoded = colon > 0 ? entry.slice(colon + 1) : "";
    if (!KEY_ID.test(id)) {
      throw new KeyringError(
        `NEOCART_DATA_KEYS entry ${index + 1} needs the form "<key id>:<base64 key>" with an id of letters, digits, _ or - (at most 32).`,
      );
    }
    const key = Buffer.from(encoded, "base64");
    if (!BASE64.test(encoded) || key.length !== 32) {
      throw new KeyringError(
        `NEOCART_DATA_KEYS key "${id}" must be 32 random bytes in base64 (generate one with: openssl rand -base64 32).`,
      );
    }
    if (byId.has(id)) throw new KeyringError(`NEOCART_DATA_KEYS lists key id "${id}" twice; give each key its own id.`);
    byId.set(id, { id, key });
  }
  const current = byId.get(entries[0]?.split(":")[0] ?? "") as DataKey;
  return { current, byId };
}

// Derived from a public string on purpose: it protects nothing and exists only so development
// and tests work without setup. Production refuses to start without real keys.
const DEV_KEY_ID = "dev";
const devKey = () => createHash("sha256").update("neocart development data key (not secret)").digest();

// Once per sink (console.warn in the app), not on every load: the app loads the keyring per request.
const warned = new WeakSet<(line: string) => void>();

/** The keyring from the environment; a development key (with a loud warning) outside production. */
export function loadKeyring(
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = console.warn,
): Keyring {
  const spec = env.NEOCART_DATA_KEYS;
  if (spec && spec.trim().length > 0) return parseKeyring(spec);
  if (env.NODE_ENV === "production") {
    throw new KeyringError(
      'NEOCART_DATA_KEYS is not set; production needs it: "<key id>:<base64 of 32 random bytes>" (openssl rand -base64 32).',
    );
  }
  if (!warned.has(warn)) {
    warned.add(warn);
    warn(
      "\n*** WARNING: NEOCART_DATA_KEYS is not set; personal data is encrypted with the PUBLIC development key. ***\n" +
        "*** Never use this outside development: set NEOCART_DATA_KEYS and run with NODE_ENV=production.      ***\n",
    );
  }
  const key: DataKey = { id: DEV_KEY_ID, key: devKey() };
  return { current: key, byId: new Map([[DEV_KEY_ID, key]]) };
}
