// AES-256-GCM for personal data at rest, as "v1:<key id>:<iv base64>:<ciphertext+tag base64>".
// The key id in the envelope lets old rows stay readable after a key rotation; GCM's tag makes any
// change to the stored text (or the wrong key under an id) fail loudly instead of decrypting to junk.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Keyring } from "./keyring.ts";

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

const VERSION = "v1";
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function encryptField(keyring: Keyring, plaintext: string): string {
  const { id, key } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  // The header is authenticated too, so a key id or version swapped in the text is detected.
  cipher.setAAD(Buffer.from(`${VERSION}:${id}`));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}:${id}:${iv.toString("base64")}:${body.toString("base64")}`;
}

type Envelope = { keyId: string; iv: Buffer; body: Buffer };

function parseEnvelope(envelope: string): Envelope {
  const parts = envelope.split(":");
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new DecryptionError('Stored value is not an encrypted envelope "v1:<key id>:<iv>:<ciphertext>".');
  }
  const [, keyId, ivText, bodyText] = parts as [string, string, string, string];
  if (!BASE64.test(ivText) || !BASE64.test(bodyText)) {
    throw new DecryptionError("Encrypted value is damaged: its iv or ciphertext is not base64.");
  }
  const iv = Buffer.from(ivText, "base64");
  const body = Buffer.from(bodyText, "base64");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
    throw new DecryptionError("Encrypted value is damaged: its iv or ciphertext has the wrong length.");
  }
  return { keyId, iv, body };
}

export function keyIdOf(envelope: string): string {
  return parseEnvelope(envelope).keyId;
}

export function decryptField(keyring: Keyring, envelope: string): string {
  const { keyId, iv, body } = parseEnvelope(envelope);
  const dataKey = keyring.byId.get(keyId);
  if (!dataKey) {
    throw new DecryptionError(
      `Encrypted with key "${keyId}", which is not in NEOCART_DATA_KEYS; add that key back (after the current one) to read it.`,
    );
  }
  const decipher = createDecipheriv("aes-256-gcm", dataKey.key, iv);
  decipher.setAAD(Buffer.from(`${VERSION}:${keyId}`));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new DecryptionError(
      `Encrypted value failed its integrity check: it was altered, or key "${keyId}" in NEOCART_DATA_KEYS is not the key it was written with.`,
    );
  }
}

/** Same plaintext under the current key; an envelope already under it is returned unchanged. */
export function reencryptField(keyring: Keyring, envelope: string): string {
  if (keyIdOf(envelope) === keyring.current.id) return envelope;
  return encryptField(keyring, decryptField(keyring, envelope));
}

/** Null-tolerant helpers for nullable columns. */
export const encryptOptional = (keyring: Keyring, value: string | null | undefined) =>
  value == null ? null : encryptField(keyring, value);
export const decryptOptional = (keyring: Keyring, value: string | null | undefined) =>
  value == null ? null : decryptField(keyring, value);
