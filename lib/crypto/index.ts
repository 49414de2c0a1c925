// Encryption of personal data at rest (AES-256-GCM envelopes, keys from NEOCART_DATA_KEYS).
export {
  DecryptionError,
  decryptField,
  decryptOptional,
  encryptField,
  encryptOptional,
  keyIdOf,
  reencryptField,
} from "./envelope.ts";
export { type DataKey, type Keyring, KeyringError, loadKeyring, parseKeyring } from "./keyring.ts";
export { ENCRYPTED_COLUMNS, type EncryptedColumn, reencryptStoredData } from "./reencrypt-rows.ts";
