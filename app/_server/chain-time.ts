// The chain's clock. Whether a group buy's deadline has passed is the chain's call
// (block.timestamp), and a chain's clock can run ahead of ours: a local chain moved forward with
// evm_increaseTime, or a validator's clock a few seconds fast. Pages judge deadlines by the later
// of the two, so they never offer a pledge the chain would refuse as too late.
import { serverPublicClient } from "../../lib/web-auth/public-client.ts";

const REFRESH_MS = 2_000;
const holder = globalThis as typeof globalThis & { __neocartChainClock?: { readAt: number; blockSeconds: number } };

export async function chainNow(): Promise<Date> {
  const wall = Date.now();
  let clock = holder.__neocartChainClock;
  if (!clock || wall - clock.readAt > REFRESH_MS) {
    try {
      const block = await serverPublicClient().getBlock({ blockTag: "latest" });
      clock = { readAt: wall, blockSeconds: Number(block.timestamp) };
      holder.__neocartChainClock = clock;
    } catch {
      // The chain is unreachable: our own clock is the best answer left.
      return new Date(wall);
    }
  }
  return new Date(Math.max(wall, clock.blockSeconds * 1000));
}
