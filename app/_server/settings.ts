// The web app's settings from the environment, read once and checked, so a missing or malformed
// value stops a request with a message naming the variable instead of failing deep inside.
import { z } from "zod";

const settingsSchema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is not set: start the app with `npm run dev` or set it"),
  /** Our public origin, for SIWE domain binding and same-origin checks. */
  NEOCART_ORIGIN: z.url().default("http://127.0.0.1:3000"),
  NEOCART_CHAIN_ID: z.coerce.number().int().positive().default(31337),
  NEOCART_RPC_URL: z.url().default("http://127.0.0.1:8545"),
  /** The RPC URL browsers use for reads, when it differs from the server's. */
  NEOCART_PUBLIC_RPC_URL: z.url().optional(),
  /** WalletConnect Cloud project id; without it only injected wallets are offered. */
  NEOCART_WALLETCONNECT_PROJECT_ID: z.string().min(1).optional(),
  NEOCART_VIEWS_SCHEMA: z.string().default("neocart_chain"),
  /** Block explorer base URL for transaction and address links (none on the local chain). */
  NEOCART_EXPLORER_URL: z.url().optional(),
});

export type WebSettings = z.output<typeof settingsSchema>;

let cached: WebSettings | undefined;

export function webSettings(): WebSettings {
  if (!cached) {
    const parsed = settingsSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(
        `The web app's settings are invalid: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; ")}`,
      );
    }
    cached = parsed.data;
  }
  return cached;
}
