// Escrow amounts are raw token units: wei for ETH (token 0x0), 6 decimals for the stablecoin.
import { formatUnits, zeroAddress } from "viem";

export function tokenSymbol(token: string, stablecoin?: string): string {
  if (token.toLowerCase() === zeroAddress) return "ETH";
  if (stablecoin && token.toLowerCase() === stablecoin.toLowerCase()) return "USDC";
  return `${token.slice(0, 8)}…`;
}

export function formatTokenAmount(amount: bigint | string, token: string, stablecoin?: string): string {
  const decimals =
    token.toLowerCase() === zeroAddress ? 18 : stablecoin && token.toLowerCase() === stablecoin.toLowerCase() ? 6 : 18;
  const text = formatUnits(BigInt(amount), decimals);
  // Six significant decimals are plenty on a dashboard; the exact figure is on chain.
  const [whole, fraction = ""] = text.split(".");
  const trimmed = fraction.slice(0, 6).replace(/0+$/, "");
  return `${whole}${trimmed ? `.${trimmed}` : ""} ${tokenSymbol(token, stablecoin)}`;
}
