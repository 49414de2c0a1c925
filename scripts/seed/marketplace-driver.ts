// Drives real marketplace transactions against a local chain with plain viem (JSON-RPC accounts of
// the Hardhat node: the node signs). Used by scripts/seed-chain.ts, the indexer tests and the
// indexer benchmark. Addresses come from a deployment record.
import { readFileSync } from "node:fs";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  type Hex,
  http,
  keccak256,
  toHex,
  zeroAddress,
} from "viem";
import { hardhat } from "viem/chains";
import {
  badgesAbi,
  escrowAbi,
  groupBuyAbi,
  loyaltyPointsAbi,
  reviewsAbi,
  testStablecoinAbi,
} from "../../lib/contracts/abis.ts";
import {
  type EscrowOrder,
  escrowDomain,
  quoteTypes,
  receiptTypes,
  reviewsDomain,
} from "../../lib/contracts/typed-data.ts";

export type DeploymentRecord = {
  chainId: number;
  roles: { admin: Address; quoteSigner: Address; arbiter: Address; treasury: Address; badgeMinter: Address };
  contracts: Record<
    "LoyaltyPoints" | "Badges" | "Escrow" | "Reviews" | "GroupBuy" | "TestStablecoin",
    { address: Address; startBlock: number }
  >;
};

export function readDeploymentRecord(file: string): DeploymentRecord {
  return JSON.parse(readFileSync(file, "utf8")) as DeploymentRecord;
}

/** The escrow's order terms (the struct a quote signs). */
export type Order = EscrowOrder;

export const productIdOf = (sku: string): Hex => keccak256(toHex(sku));
export const orderIdOf = (label: string): Hex => keccak256(toHex(label));
export const contentHashOf = (text: string): Hex => keccak256(toHex(text));

export type Driver = Awaited<ReturnType<typeof connectMarketplace>>;

/** Connects to the node at `rpcUrl` and returns typed helpers over the record's contracts. */
export async function connectMarketplace(rpcUrl: string, record: DeploymentRecord) {
  const transport = http(rpcUrl, { batch: false, retryCount: 0, timeout: 60_000 });
  const chain = { ...hardhat, id: record.chainId };
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const accounts = (await publicClient.request({ method: "eth_accounts" } as never)) as Address[];
  const wallet = (account: Address) => createWalletClient({ chain, transport, account });
  const c = record.contracts;
  const roles = record.roles;
  const wallets = new Map<Address, ReturnType<typeof wallet>>();
  const walletOf = (a: Address) => {
    let w = wallets.get(a);
    if (!w) {
      w = wallet(a);
      wallets.set(a, w);
    }
    return w;
  };

  /** Sends a contract call from `from` (node-signed). Returns the tx hash without waiting. */
  async function send(
    from: Address,
    call: {
      address: Address;
      abi: readonly unknown[];
      functionName: string;
      args?: readonly unknown[];
      value?: bigint;
    },
    gas = 600_000n,
  ): Promise<Hex> {
    // biome-ignore lint/suspicious/noExplicitAny: one generic sender for every contract call.
    return walletOf(from).writeContract({ ...(call as any), gas });
  }

  /** Sends and waits; throws if the transaction reverted. */
  async function mined(hash: Hex | Promise<Hex>) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash, pollingInterval: 20 });
    if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
    return receipt;
  }

  const rpc = (method: string, params: unknown[] = []) =>
    // biome-ignore lint/suspicious/noExplicitAny: test-node methods (evm_*) are not in viem's typed RPC schema.
    publicClient.request({ method: method as any, params: params as any });

  async function now(): Promise<bigint> {
    return (await publicClient.getBlock()).timestamp;
  }

  async function signQuote(orderId: Hex, order: Order, pointsToRedeem = 0n, expiry?: bigint) {
    const quote = { orderId, order, pointsToRedeem, expiry: expiry ?? (await now()) + 86_400n };
    const signature = await walletOf(roles.quoteSigner).signTypedData({
      domain: escrowDomain(record.chainId, c.Escrow.address),
      types: quoteTypes,
      primaryType: "Quote",
      message: quote,
    });
    return { quote, signature };
  }

  function order(terms: Partial<Order> & { buyer: Address; seller: Address }): Order {
    const amount = terms.amount ?? 10n ** 16n;
    return {
      token: zeroAddress,
      amount,
      fee: (amount * 250n) / 10_000n,
      affiliate: zeroAddress,
      affiliateBps: 0,
      cashback: 0n,
      productId: productIdOf("sku-1"),
      deliveryWindow: 3 * 86_400,
      ...terms,
    };
  }

  /** Checkout (ETH, or approve + checkout for the stablecoin). Returns the checkout tx hash. */
  async function checkout(orderId: Hex, o: Order, pointsToRedeem = 0n, opts: { expiry?: bigint } = {}) {
    const { quote, signature } = await signQuote(orderId, o, pointsToRedeem, opts.expiry);
    if (o.token === zeroAddress) {
      return send(o.buyer, {
        address: c.Escrow.address,
        abi: escrowAbi,
        functionName: "checkout",
        args: [quote, signature],
        value: o.amount,
      });
    }
    await send(o.buyer, {
      address: o.token,
      abi: testStablecoinAbi,
      functionName: "approve",
      args: [c.Escrow.address, o.amount],
    });
    return send(o.buyer, {
      address: c.Escrow.address,
      abi: escrowAbi,
      functionName: "checkout",
      args: [quote, signature],
    });
  }

  const escrowCall = (from: Address, functionName: string, args: readonly unknown[]) =>
    send(from, { address: c.Escrow.address, abi: escrowAbi, functionName, args });

  async function signReceipt(orderId: Hex, buyer: Address, productId: Hex) {
    const receipt = { orderId, buyer, productId, deadline: (await now()) + 86_400n };
    const signature = await walletOf(roles.quoteSigner).signTypedData({
      domain: reviewsDomain(record.chainId, c.Reviews.address),
      types: receiptTypes,
      primaryType: "Receipt",
      message: receipt,
    });
    return { receipt, signature };
  }

  return {
    rpcUrl,
    record,
    publicClient,
    accounts,
    roles,
    contracts: c,
    send,
    mined,
    rpc,
    now,
    order,
    checkout,
    ship: (orderId: Hex, o: Order) => escrowCall(o.seller, "markShipped", [orderId, o]),
    confirm: (orderId: Hex, o: Order) => escrowCall(o.buyer, "confirmDelivery", [orderId, o]),
    release: (from: Address, orderId: Hex, o: Order) => escrowCall(from, "release", [orderId, o]),
    dispute: (orderId: Hex, o: Order) => escrowCall(o.buyer, "openDispute", [orderId, o]),
    resolve: (orderId: Hex, o: Order, buyerBps: number) =>
      escrowCall(roles.arbiter, "resolveDispute", [orderId, o, buyerBps]),
    settleStale: (from: Address, orderId: Hex, o: Order) => escrowCall(from, "settleStaleDispute", [orderId, o]),
    refund: (orderId: Hex, o: Order) => escrowCall(o.seller, "refund", [orderId, o]),
    cancelUnshipped: (orderId: Hex, o: Order) => escrowCall(o.buyer, "cancelUnshipped", [orderId, o]),
    withdraw: (from: Address, token: Address) => escrowCall(from, "withdraw", [token]),
    escrowCall,
    review: (from: Address, orderId: Hex, productId: Hex, rating: number, contentHash: Hex) =>
      send(from, {
        address: c.Reviews.address,
        abi: reviewsAbi,
        functionName: "review",
        args: [orderId, productId, rating, contentHash],
      }),
    async reviewWithReceipt(from: Address, orderId: Hex, productId: Hex, rating: number, contentHash: Hex) {
      const { receipt, signature } = await signReceipt(orderId, from, productId);
      return send(from, {
        address: c.Reviews.address,
        abi: reviewsAbi,
        functionName: "reviewWithReceipt",
        args: [receipt, roles.quoteSigner, signature, rating, contentHash],
      });
    },
    openPool: (
      seller: Address,
      terms: {
        productId: Hex;
        token?: Address;
        unitPrice: bigint;
        minUnits: number;
        maxUnits: number;
        deadline: bigint;
      },
    ) =>
      send(seller, {
        address: c.GroupBuy.address,
        abi: groupBuyAbi,
        functionName: "openPool",
        args: [{ token: zeroAddress, deliveryWindow: 3 * 86_400, ...terms, deadline: Number(terms.deadline) }],
      }),
    pledge: (from: Address, poolId: bigint, units: number, value: bigint) =>
      send(from, {
        address: c.GroupBuy.address,
        abi: groupBuyAbi,
        functionName: "pledge",
        args: [poolId, units],
        value,
      }),
    groupBuyCall: (from: Address, functionName: string, args: readonly unknown[] = []) =>
      send(from, { address: c.GroupBuy.address, abi: groupBuyAbi, functionName, args }),
    pointsCall: (from: Address, functionName: string, args: readonly unknown[] = []) =>
      send(from, { address: c.LoyaltyPoints.address, abi: loyaltyPointsAbi, functionName, args }),
    badgesCall: (from: Address, functionName: string, args: readonly unknown[] = []) =>
      send(from, { address: c.Badges.address, abi: badgesAbi, functionName, args }),
    reviewsCall: (from: Address, functionName: string, args: readonly unknown[] = []) =>
      send(from, { address: c.Reviews.address, abi: reviewsAbi, functionName, args }),
    stablecoinCall: (from: Address, functionName: string, args: readonly unknown[] = []) =>
      send(from, { address: c.TestStablecoin.address, abi: testStablecoinAbi, functionName, args }),
    /** Moves chain time forward by `seconds` and mines a block. */
    async increaseTime(seconds: number) {
      await rpc("evm_increaseTime", [seconds]);
      await rpc("evm_mine");
    },
    productTag: (productId: Hex) => BigInt(keccak256(encodeAbiParameters([{ type: "bytes32" }], [productId]))),
  };
}
