// Sign-in with a smart-contract wallet (ERC-1271) on a real chain: a Hardhat node, and a minimal
// wallet contract (compiled here with solc) that accepts signatures made by its owner key. The
// signature is checked through the public client passed to signIn, exactly as on Base.
import solc from "solc";
import { createPublicClient, createWalletClient, type Hex, http, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError, issueNonce, signIn } from "../../../lib/auth/index.ts";
import { type LocalChain, startLocalChain } from "../../../scripts/stack/local-chain.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { newAccount, settings, signedMessage } from "./support/sign-in-fixtures.ts";

// Test-only: the wallet answers ERC-1271's magic value when the hash was signed by `owner`.
const WALLET_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
contract OwnerSignedWallet {
  address public immutable owner;
  constructor(address owner_) { owner = owner_; }
  function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
    if (signature.length != 65) return 0xffffffff;
    bytes32 r = bytes32(signature[0:32]);
    bytes32 s = bytes32(signature[32:64]);
    uint8 v = uint8(signature[64]);
    return ecrecover(hash, v, r, s) == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
  }
}`;

function compileWallet(): { abi: unknown[]; bytecode: Hex } {
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "OwnerSignedWallet.sol": { content: WALLET_SOURCE } },
        settings: { outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
      }),
    ),
  );
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  const contract = output.contracts["OwnerSignedWallet.sol"].OwnerSignedWallet;
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
}

// Hardhat's well-known first development account (funded on every local node; public key).
const DEPLOYER = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

let t: TestDatabase;
let chain: LocalChain;
let publicClient: PublicClient;
const owner = newAccount();
let walletAddress: Hex;

beforeAll(async () => {
  t = await createTestDatabase("auth_smart_wallet", 5546);
  chain = await startLocalChain(8641);
  const transport = http(chain.rpcUrl);
  publicClient = createPublicClient({ chain: hardhat, transport });
  const deployer = createWalletClient({ chain: hardhat, transport, account: DEPLOYER });
  const { abi, bytecode } = compileWallet();
  const hash = await deployer.deployContract({ abi, bytecode, args: [owner.address] });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  walletAddress = receipt.contractAddress as Hex;
});
afterAll(async () => {
  await chain?.stop();
  await t?.stop();
});

const chainSettings = () => settings({ chainIds: [hardhat.id] });

async function walletSignIn(signer = owner) {
  const { nonce } = await issueNonce(t.db);
  // The message names the contract wallet; the key behind it (or a stranger's) signs.
  return signedMessage(signer, nonce, { chainId: hardhat.id, address: walletAddress });
}

describe("smart-contract wallet sign-in (ERC-1271)", () => {
  it("accepts the owner's signature for the wallet's address through the public client", async () => {
    const result = await signIn(t.db, await walletSignIn(), {
      ...chainSettings(),
      publicClients: { [hardhat.id]: publicClient },
    });
    expect(result.address.toLowerCase()).toBe(walletAddress.toLowerCase());
    expect(result.isNewUser).toBe(true);
  });

  it("refuses a stranger's signature for the wallet", async () => {
    const error = await signIn(t.db, await walletSignIn(newAccount()), {
      ...chainSettings(),
      publicClients: { [hardhat.id]: publicClient },
    }).catch((e: unknown) => e);
    expect((error as AuthError).code).toBe("bad_signature");
  });

  it("refuses a contract wallet when no client for its chain was given, saying why", async () => {
    const error = await signIn(t.db, await walletSignIn(), chainSettings()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toMatch(/smart-contract wallets need chain 31337 to be reachable/);
  });
});
