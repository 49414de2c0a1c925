"use client";
// Sign-In with Ethereum: connect through RainbowKit, sign an EIP-4361 message carrying a nonce from
// our server, and post it to /api/auth/sign-in, which sets the session cookie. The page then
// re-renders on the server with the session (router.refresh).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { isAddressEqual } from "viem";
import { createSiweMessage } from "viem/siwe";
import { useAccount, useChainId, useDisconnect, useSignMessage } from "wagmi";
import { ConnectControl } from "./connect-control.tsx";
import { describeWalletError } from "./wallet-error.ts";

export type SignInStrings = {
  connect: string;
  wrongNetwork: string;
  signIn: string;
  signingIn: string;
  signOut: string;
  signedInAs: string;
  connectFirst: string;
  otherWallet: string;
  statement: string;
  rejected: string;
  failed: string;
};

async function readJson(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function failure(response: Response): Promise<Error> {
  const body = await readJson(response);
  return new Error(typeof body.error === "string" ? body.error : `HTTP ${response.status}`);
}

export function SignInWithWallet(props: { signedInAddress: string | null; strings: SignInStrings }) {
  const { strings: s } = props;
  const router = useRouter();
  const { address, isConnected } = useAccount();
  // The configured chain: the only one the server accepts in the message.
  const chainId = useChainId();
  const { signMessageAsync } = useSignMessage();
  const { disconnect } = useDisconnect();
  const [busy, setBusy] = useState<"sign-in" | "sign-out" | null>(null);
  const [error, setError] = useState<string | null>(null);

  const signedIn = props.signedInAddress;
  const otherWallet = Boolean(signedIn && address && !isAddressEqual(signedIn as `0x${string}`, address));

  async function signIn() {
    if (!address) return;
    setBusy("sign-in");
    setError(null);
    try {
      const nonceResponse = await fetch("/api/auth/nonce", { cache: "no-store" });
      if (!nonceResponse.ok) throw await failure(nonceResponse);
      const { nonce } = (await nonceResponse.json()) as { nonce: string };
      const message = createSiweMessage({
        domain: window.location.host,
        uri: window.location.origin,
        address,
        chainId,
        nonce,
        version: "1",
        statement: s.statement,
        issuedAt: new Date(),
      });
      const signature = await signMessageAsync({ message });
      const response = await fetch("/api/auth/sign-in", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, signature }),
      });
      if (!response.ok) throw await failure(response);
      router.refresh();
    } catch (e) {
      setError(describeWalletError(e, s));
    } finally {
      setBusy(null);
    }
  }

  async function signOut() {
    setBusy("sign-out");
    setError(null);
    try {
      const response = await fetch("/api/auth/sign-out", { method: "POST" });
      if (!response.ok) throw await failure(response);
      disconnect();
      router.refresh();
    } catch (e) {
      setError(describeWalletError(e, s));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="stack" data-testid="wallet-sign-in">
      <div className="row">
        <ConnectControl connectLabel={s.connect} wrongNetworkLabel={s.wrongNetwork} />
        {isConnected && (!signedIn || otherWallet) ? (
          <button type="button" data-testid="sign-in-button" onClick={signIn} disabled={busy !== null}>
            {s.signIn}
          </button>
        ) : null}
        {signedIn ? (
          <button
            type="button"
            className="button-secondary"
            data-testid="sign-out-button"
            onClick={signOut}
            disabled={busy !== null}
          >
            {s.signOut}
          </button>
        ) : null}
      </div>
      {signedIn ? (
        <p>
          {s.signedInAs}{" "}
          <span className="mono" data-testid="signed-in-address">
            {signedIn}
          </span>
        </p>
      ) : isConnected ? null : (
        <p className="muted">{s.connectFirst}</p>
      )}
      {otherWallet && address ? <p className="notice">{s.otherWallet.replace("{connected}", address)}</p> : null}
      <p role="status" aria-live="polite" className="muted">
        {busy === "sign-in" ? s.signingIn : ""}
      </p>
      {error ? (
        <p role="alert" className="error" data-testid="wallet-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
