// Shared pieces of the sign-in tests: our site's settings and messages signed by real keys.
import type { Hex } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { type CreateSiweMessageParameters, createSiweMessage } from "viem/siwe";
import type { SignInSettings } from "../../../../lib/auth/index.ts";

export const SITE = { domain: "neocart.example", origin: "https://neocart.example", chainIds: [8453, 84532] };

export function newAccount(): PrivateKeyAccount {
  return privateKeyToAccount(generatePrivateKey());
}

let client = 0;
/** Settings for one sign-in; each call gets its own rate-limit bucket unless one is given. */
export function settings(overrides: Partial<SignInSettings> = {}): SignInSettings {
  client += 1;
  return { ...SITE, clientKey: `test-client-${client}`, ...overrides };
}

export async function signedMessage(
  account: PrivateKeyAccount,
  nonce: string,
  overrides: Partial<CreateSiweMessageParameters> = {},
): Promise<{ message: string; signature: Hex }> {
  const message = createSiweMessage({
    address: account.address,
    domain: SITE.domain,
    uri: `${SITE.origin}/sign-in`,
    chainId: 8453,
    version: "1",
    nonce,
    issuedAt: new Date(),
    statement: "Sign in to NeoCart.",
    ...overrides,
  });
  return { message, signature: await account.signMessage({ message }) };
}
