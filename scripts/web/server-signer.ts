// `next start` runs with NODE_ENV=production, where lib/quotes refuses the public dev signer key.
// So the e2e stack makes a fresh signer key per run and gives it the roles a production
// deployment's quote signer holds: QUOTE_SIGNER_ROLE on Escrow, RECEIPT_SIGNER_ROLE on Reviews.
import { readFile } from "node:fs/promises";
import { type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { escrowAbi, reviewsAbi } from "../../lib/contracts/abis.ts";

export async function grantServerSigner(opts: {
  rpcUrl: string;
  deploymentFile: string;
  adminKey: Hex;
}): Promise<{ key: Hex; address: Address }> {
  const record = JSON.parse(await readFile(opts.deploymentFile, "utf8")) as {
    contracts: Record<string, { address: Address }>;
  };
  const escrow = record.contracts.Escrow?.address;
  const reviews = record.contracts.Reviews?.address;
  if (!escrow || !reviews) throw new Error(`${opts.deploymentFile} lacks Escrow or Reviews`);
  const key = generatePrivateKey();
  const signer = privateKeyToAccount(key).address;
  const chain = { ...hardhat, rpcUrls: { default: { http: [opts.rpcUrl] } } };
  const publicClient = createPublicClient({ chain, transport: http(opts.rpcUrl) });
  const admin = createWalletClient({
    account: privateKeyToAccount(opts.adminKey),
    chain,
    transport: http(opts.rpcUrl),
  });
  const quoteRole = await publicClient.readContract({
    address: escrow,
    abi: escrowAbi,
    functionName: "QUOTE_SIGNER_ROLE",
  });
  const receiptRole = await publicClient.readContract({
    address: reviews,
    abi: reviewsAbi,
    functionName: "RECEIPT_SIGNER_ROLE",
  });
  for (const hash of [
    await admin.writeContract({
      address: escrow,
      abi: escrowAbi,
      functionName: "grantRole",
      args: [quoteRole, signer],
    }),
    await admin.writeContract({
      address: reviews,
      abi: reviewsAbi,
      functionName: "grantRole",
      args: [receiptRole, signer],
    }),
  ]) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`granting the server signer its role failed (${hash})`);
  }
  return { key, address: signer };
}
