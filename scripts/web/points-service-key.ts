// `next start` runs in production mode, where lib/orders/points-service.ts refuses the public dev
// points key. As for the quote signer (server-signer.ts), the e2e stack makes a fresh points-service
// key per run and gives it what a production points service holds: MINTER_ROLE and REDEEMER_ROLE on
// LoyaltyPoints, so fiat orders can burn redeemed points (and mint them back) in browser tests.
import { readFile } from "node:fs/promises";
import { type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { loyaltyPointsAbi } from "../../lib/contracts/abis.ts";

export async function grantPointsService(opts: {
  rpcUrl: string;
  deploymentFile: string;
  adminKey: Hex;
}): Promise<{ key: Hex; address: Address }> {
  const record = JSON.parse(await readFile(opts.deploymentFile, "utf8")) as {
    contracts: Record<string, { address: Address }>;
  };
  const points = record.contracts.LoyaltyPoints?.address;
  if (!points) throw new Error(`${opts.deploymentFile} lacks LoyaltyPoints`);
  const key = generatePrivateKey();
  const service = privateKeyToAccount(key).address;
  const chain = { ...hardhat, rpcUrls: { default: { http: [opts.rpcUrl] } } };
  const publicClient = createPublicClient({ chain, transport: http(opts.rpcUrl) });
  const admin = createWalletClient({
    account: privateKeyToAccount(opts.adminKey),
    chain,
    transport: http(opts.rpcUrl),
  });
  // The service pays gas for its burns and mints: fund it from the admin like any operator key.
  const funding = await admin.sendTransaction({ to: service, value: 10n ** 18n });
  await publicClient.waitForTransactionReceipt({ hash: funding });
  for (const roleName of ["MINTER_ROLE", "REDEEMER_ROLE"] as const) {
    const role = await publicClient.readContract({ address: points, abi: loyaltyPointsAbi, functionName: roleName });
    const hash = await admin.writeContract({
      address: points,
      abi: loyaltyPointsAbi,
      functionName: "grantRole",
      args: [role, service],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`granting the points service ${roleName} failed (${hash})`);
  }
  return { key, address: service };
}
