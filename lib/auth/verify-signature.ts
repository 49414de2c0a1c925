// Who signed the message: an ordinary account (ECDSA recovery, no network needed) or a smart
// contract wallet (ERC-1271, or ERC-6492 for a wallet not deployed yet), which only the chain named
// in the message can answer, through a public client for that chain.
import { type Address, type Hex, isAddressEqual, type PublicClient, recoverMessageAddress } from "viem";

/** The one public-client action sign-in needs (viem's PublicClient satisfies it). */
export type SignatureVerifierClient = Pick<PublicClient, "verifyMessage">;

export async function isSignedBy(input: {
  address: Address;
  message: string;
  signature: Hex;
  client: SignatureVerifierClient | undefined;
}): Promise<boolean> {
  try {
    const signer = await recoverMessageAddress({ message: input.message, signature: input.signature });
    if (isAddressEqual(signer, input.address)) return true;
  } catch {
    // Not a plain 65-byte ECDSA signature: maybe a contract wallet's, tried below.
  }
  if (!input.client) return false;
  try {
    return await input.client.verifyMessage({
      address: input.address,
      message: input.message,
      signature: input.signature,
    });
  } catch {
    return false;
  }
}
