// Points are 18-decimal tokens; whole points (two decimals at most) read best.
import { formatUnits } from "viem";

export function formatPoints(value: bigint): string {
  const [whole, fraction = ""] = formatUnits(value, 18).split(".");
  const cut = fraction.slice(0, 2).replace(/0+$/, "");
  return cut ? `${whole}.${cut}` : (whole ?? "0");
}

/** 0x1234…abcd: enough to tell accounts apart without printing the whole address. */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
