// Header entry to the wallet: a link to the sign-in page. The wallet stack (wagmi, RainbowKit)
// loads only on pages that use it, so browsing stays light.
import Link from "next/link";

export function WalletEntry(props: { label: string; address?: string }) {
  return (
    <Link href="/account" className="wallet-entry" data-testid="wallet-entry">
      {props.address ? `${props.address.slice(0, 6)}…${props.address.slice(-4)}` : props.label}
    </Link>
  );
}
