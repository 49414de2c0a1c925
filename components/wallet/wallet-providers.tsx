"use client";
// wagmi + RainbowKit for the pages that talk to a wallet. Wallets are listed with
// connectorsForWallets (injected always, WalletConnect only with a project id) because
// getDefaultConfig calls WalletConnect's services on load.
import "@rainbow-me/rainbowkit/styles.css";
import { connectorsForWallets, lightTheme, RainbowKitProvider } from "@rainbow-me/rainbowkit";
import { injectedWallet, walletConnectWallet } from "@rainbow-me/rainbowkit/wallets";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { type Chain, defineChain } from "viem";
import { base, baseSepolia, hardhat } from "viem/chains";
import { createConfig, http, WagmiProvider } from "wagmi";

export type WalletChainSettings = {
  chainId: number;
  rpcUrl: string;
  walletConnectProjectId?: string;
};

function chainFor(settings: WalletChainSettings): Chain {
  const known = [hardhat, baseSepolia, base].find((c) => c.id === settings.chainId);
  if (known) return { ...known, rpcUrls: { default: { http: [settings.rpcUrl] } } };
  return defineChain({
    id: settings.chainId,
    name: `Chain ${settings.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [settings.rpcUrl] } },
  });
}

function buildConfig(settings: WalletChainSettings) {
  const chain = chainFor(settings);
  const projectId = settings.walletConnectProjectId;
  const connectors = connectorsForWallets(
    [{ groupName: "Wallets", wallets: projectId ? [injectedWallet, walletConnectWallet] : [injectedWallet] }],
    // WalletConnect is not listed without a project id, so this placeholder is never sent anywhere.
    { appName: "NeoCart", projectId: projectId ?? "walletconnect-disabled" },
  );
  return createConfig({
    chains: [chain],
    connectors,
    transports: { [chain.id]: http(settings.rpcUrl) },
    ssr: true,
  });
}

export function WalletProviders(props: { settings: WalletChainSettings; children: ReactNode }) {
  const [config] = useState(() => buildConfig(props.settings));
  const [queryClient] = useState(() => new QueryClient());
  return (
    <WagmiProvider config={config}>
      <QueryClientProvider client={queryClient}>
        {/* Our brand colour: RainbowKit's default blue falls short of 4.5:1 against white text. */}
        <RainbowKitProvider theme={lightTheme({ accentColor: "#0f766e", accentColorForeground: "#ffffff" })}>
          {props.children}
        </RainbowKitProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
