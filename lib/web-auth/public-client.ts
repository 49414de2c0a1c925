// One viem public client per server process for the configured chain: sign-in uses it to check
// smart-contract wallet signatures (ERC-1271/6492), which only the chain can answer.
import { createPublicClient, http, type PublicClient } from "viem";
import { webSettings } from "../../app/_server/settings.ts";

const holder = globalThis as typeof globalThis & { __neocartPublicClient?: PublicClient };

export function serverPublicClient(): PublicClient {
  holder.__neocartPublicClient ??= createPublicClient({ transport: http(webSettings().NEOCART_RPC_URL) });
  return holder.__neocartPublicClient;
}
