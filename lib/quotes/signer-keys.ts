// The quote signer: the server key that signs escrow checkout quotes and fiat purchase receipts
// (it holds QUOTE_SIGNER_ROLE on the Escrow and RECEIPT_SIGNER_ROLE on Reviews).
//
// NEOCART_QUOTE_SIGNER_KEY is a comma-separated list of 0x private keys. The first signs; the
// others are still recognised (verifyQuoteSigner) so a rotation can grant the new key its role on
// chain, put it first, and drop the old one once its quotes have expired. Outside production an
// unset variable falls back to Hardhat's well-known account #1, which holds the signer roles in the
// local deployment; in production an unset variable is an error (that key is public).
import type { Address, Hex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { CommerceError } from "../pricing/errors.ts";

/** Hardhat / Anvil test account #1 (0x70997970…79C8): public, for local chains only. */
export const DEV_QUOTE_SIGNER_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

export class QuoteSignerConfigError extends CommerceError {
  override name = "QuoteSignerConfigError";
  constructor(message: string) {
    super("quote_signer_config", 422, message);
  }
}

const keySchema = z
  .string()
  .trim()
  .regex(/^0x[0-9a-fA-F]{64}$/, "a 0x-prefixed 32-byte hex private key");

export type QuoteSigners = { active: PrivateKeyAccount; all: PrivateKeyAccount[] };

export function loadQuoteSigners(env: Record<string, string | undefined> = process.env): QuoteSigners {
  const raw = env.NEOCART_QUOTE_SIGNER_KEY?.trim();
  if (!raw) {
    if (env.NODE_ENV === "production") {
      throw new QuoteSignerConfigError(
        "NEOCART_QUOTE_SIGNER_KEY is not set; set it to the key that holds QUOTE_SIGNER_ROLE (a comma-separated list when rotating, new key first).",
      );
    }
    const dev = privateKeyToAccount(DEV_QUOTE_SIGNER_KEY);
    return { active: dev, all: [dev] };
  }
  const keys = raw.split(",").map((k, i) => {
    const parsed = keySchema.safeParse(k);
    if (!parsed.success) {
      throw new QuoteSignerConfigError(
        `NEOCART_QUOTE_SIGNER_KEY entry ${i + 1} is not a 0x-prefixed 32-byte hex private key.`,
      );
    }
    return parsed.data as Hex;
  });
  if (env.NODE_ENV === "production" && keys.some((k) => k.toLowerCase() === DEV_QUOTE_SIGNER_KEY)) {
    throw new QuoteSignerConfigError(
      "NEOCART_QUOTE_SIGNER_KEY holds the public Hardhat dev key; use a private key in production.",
    );
  }
  const all = keys.map((k) => privateKeyToAccount(k));
  const [active] = all;
  if (!active) throw new QuoteSignerConfigError("NEOCART_QUOTE_SIGNER_KEY is empty.");
  return { active, all };
}

/** Whether `address` is one of the configured signers (current or being rotated out). */
export function isConfiguredSigner(signers: QuoteSigners, address: Address): boolean {
  return signers.all.some((a) => a.address.toLowerCase() === address.toLowerCase());
}
