// Wraps the part of a page that needs a wallet (checkout, orders, seller, admin). Pages that only
// browse never render it, so they do not load wagmi and RainbowKit.
import type { ReactNode } from "react";
import { webSettings } from "../../app/_server/settings.ts";
import { WalletProviders } from "./wallet-providers.tsx";

export function WalletSection(props: { children: ReactNode }) {
  const settings = webSettings();
  return (
    <WalletProviders
      settings={{
        chainId: settings.NEOCART_CHAIN_ID,
        rpcUrl: settings.NEOCART_PUBLIC_RPC_URL ?? settings.NEOCART_RPC_URL,
        walletConnectProjectId: settings.NEOCART_WALLETCONNECT_PROJECT_ID,
      }}
    >
      {props.children}
    </WalletProviders>
  );
}
