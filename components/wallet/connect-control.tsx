"use client";
// The wallet button: RainbowKit's modals behind our own buttons, so the label is translated and
// browser tests have a stable selector (data-testid="connect-wallet"; in the modal the injected
// wallet is RainbowKit's [data-testid="rk-wallet-option-injected"]).
import { ConnectButton } from "@rainbow-me/rainbowkit";

export function ConnectControl(props: { connectLabel: string; wrongNetworkLabel: string }) {
  return (
    <ConnectButton.Custom>
      {({ account, chain, mounted, openConnectModal, openAccountModal, openChainModal }) => {
        if (!mounted) {
          // Same markup on server and first client render; the button works once hydrated.
          return (
            <button type="button" data-testid="connect-wallet" disabled>
              {props.connectLabel}
            </button>
          );
        }
        if (!account) {
          return (
            <button type="button" data-testid="connect-wallet" onClick={openConnectModal}>
              {props.connectLabel}
            </button>
          );
        }
        if (chain?.unsupported) {
          return (
            <button type="button" className="button-danger" data-testid="wrong-network" onClick={openChainModal}>
              {props.wrongNetworkLabel}
            </button>
          );
        }
        return (
          <button
            type="button"
            className="button-secondary mono"
            data-testid="connected-account"
            onClick={openAccountModal}
          >
            {account.displayName}
          </button>
        );
      }}
    </ConnectButton.Custom>
  );
}
