"use client";
// Shows its children only when the wallet that must act is connected on the right chain; else
// says what to do (connect, switch account, switch network).
import { ConnectButton } from "@rainbow-me/rainbowkit";
import type { ReactNode } from "react";
import { useAccount, useSwitchChain } from "wagmi";

export type WalletGateStrings = {
  connect: string;
  wrongAccount: string;
  wrongChain: string;
  switchChain: string;
};

export function WalletGate(props: {
  chainId: number;
  /** The account that must send the transaction (buyer, seller, arbiter), if one is required. */
  expected?: string;
  strings: WalletGateStrings;
  children: ReactNode;
}) {
  const { address, chainId, isConnected } = useAccount();
  const { switchChain, isPending } = useSwitchChain();
  if (!isConnected || !address) {
    return (
      <div className="stack" data-testid="wallet-connect">
        <p className="muted">{props.strings.connect}</p>
        <ConnectButton showBalance={false} chainStatus="none" />
      </div>
    );
  }
  if (props.expected && props.expected.toLowerCase() !== address.toLowerCase()) {
    return (
      <p className="notice" role="status">
        {props.strings.wrongAccount.replace("{address}", props.expected)}
      </p>
    );
  }
  if (chainId !== props.chainId) {
    return (
      <p className="notice" role="status">
        {props.strings.wrongChain}{" "}
        <button type="button" disabled={isPending} onClick={() => switchChain({ chainId: props.chainId })}>
          {props.strings.switchChain}
        </button>
      </p>
    );
  }
  return <>{props.children}</>;
}
