// One pass of the rewards service: find what the facts now earn (discover-awards.ts), send what
// the ledger owes (send-awards.ts), re-rank the leaderboard. scripts/gamification/rewards.ts runs
// it once or in a loop; tests call it directly.
import { createPublicClient, http, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { contractAddresses } from "../dashboards/contract-addresses.ts";
import type { Db } from "../db/client.ts";
import { type Discovered, discoverAwards } from "./discover-awards.ts";
import { refreshLeaderboard } from "./leaderboard.ts";
import { type RewardsChain, type SendHooks, type SendResult, sendDueAwards } from "./send-awards.ts";
import type { RewardsSettings } from "./service-settings.ts";

export function createRewardsChain(
  settings: Pick<RewardsSettings, "chainId" | "rpcUrl" | "deploymentFile" | "pointsSigner" | "badgeSigner">,
): RewardsChain {
  const addresses = contractAddresses(settings.chainId, settings.deploymentFile);
  const publicClient = createPublicClient({
    chain: { ...hardhat, id: settings.chainId },
    transport: http(settings.rpcUrl, { retryCount: 2, timeout: 30_000 }),
    // The head decides which facts are safe to reward: never a cached one.
    cacheTime: 0,
  }) as PublicClient;
  return {
    chainId: settings.chainId,
    publicClient,
    loyaltyPoints: addresses.loyaltyPoints,
    badges: addresses.badges,
    pointsSigner: settings.pointsSigner,
    badgeSigner: settings.badgeSigner,
  };
}

export type PassResult = { head: bigint; safeBlock: bigint; discovered: Discovered; sent: SendResult };

export type PassOptions = {
  viewsSchema: string;
  confirmations: number;
  now?: () => Date;
  hooks?: SendHooks;
  log?: (line: string) => void;
};

export async function runRewardsPass(db: Db, chain: RewardsChain, options: PassOptions): Promise<PassResult> {
  const head = await chain.publicClient.getBlockNumber();
  const safeBlock = head - BigInt(options.confirmations);
  const discovered =
    safeBlock < 0n
      ? { indexed: true, reviewPoints: 0, referralPoints: 0, badges: 0, unverifiedReviews: 0 }
      : await discoverAwards(db, { viewsSchema: options.viewsSchema, safeBlock });
  const sent = await sendDueAwards(db, chain, { now: options.now, hooks: options.hooks, log: options.log });
  await refreshLeaderboard(db, options.viewsSchema, { now: options.now?.() });
  return { head, safeBlock, discovered, sent };
}

/** One line a person reads in the runner's output. */
export function describePass(pass: PassResult): string {
  const d = pass.discovered;
  const s = pass.sent;
  if (!d.indexed) return `block ${pass.head}: the indexer has not published its views yet; nothing to reward`;
  const found = `found ${d.reviewPoints} review, ${d.referralPoints} referral and ${d.badges} badge rewards`;
  const unverified = d.unverifiedReviews ? ` (${d.unverifiedReviews} reviews without matching text skipped)` : "";
  const sending = s.ran
    ? `confirmed ${s.confirmed}, already held ${s.alreadyHeld}, waiting ${s.waiting}, retrying ${s.retrying}` +
      (s.rebroadcast ? `, re-sent ${s.rebroadcast}` : "")
    : "another runner is sending";
  return `block ${pass.head} (rewarding facts up to ${pass.safeBlock}): ${found}${unverified}; ${sending}`;
}
