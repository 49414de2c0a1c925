// A browser wallet for tests: an EIP-1193 provider injected into every page of a context as
// window.ethereum and announced through EIP-6963, so RainbowKit's real injected-wallet path runs.
// The page side only forwards requests; Node answers them with a viem account for a funded local
// key (signing locally, sending raw transactions to the e2e chain) and forwards reads to the node.
import type { BrowserContext } from "playwright-core";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  type EIP1193Parameters,
  type Hex,
  hexToBigInt,
  http,
  type PublicRpcSchema,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

export type TestWalletOptions = {
  privateKey: Hex;
  rpcUrl: string;
  chainId?: number;
  /** Treat the site as already connected (eth_accounts answers without eth_requestAccounts). Default false. */
  connected?: boolean;
};

export type WalletRequestLog = { method: string; params: unknown; error?: string };

export type TestWallet = {
  readonly address: Address;
  /** Every request the pages made, in order (for assertions and debugging). */
  readonly requests: WalletRequestLog[];
  /** The next request of `method` fails with EIP-1193 code 4001 (the user clicked Reject). */
  rejectNext(method: string): void;
  /** Switches to another key and tells the pages (accountsChanged). */
  switchAccount(privateKey: Hex): Promise<void>;
  /** Forgets the site's permission and tells the pages (accountsChanged []). */
  disconnect(): Promise<void>;
};

type RpcError = { code: number; message: string };
class ProviderError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const WALLET_INFO = {
  uuid: "5b0b1a0e-4e2e-4c6f-9a51-6e65636172e2",
  name: "NeoCart Test Wallet",
  rdns: "dev.neocart.testwallet",
  // A plain square: RainbowKit shows the icon next to the name.
  icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='32' height='32'%3E%3Crect width='32' height='32' rx='6' fill='%230f766e'/%3E%3C/svg%3E",
};

// Runs in the page before any of its scripts (as a string: the root tsconfig has no DOM types).
const pageScript = (info: typeof WALLET_INFO) => `(() => {
  if (window.__neocartTestWallet) return;
  const listeners = new Map();
  const emit = (event, data) => {
    for (const listener of [...(listeners.get(event) || [])]) {
      try { listener(data); } catch (error) { console.error(error); }
    }
  };
  const provider = {
    isNeoCartTestWallet: true,
    async request(args) {
      if (!args || typeof args.method !== "string") {
        const error = new Error("request needs { method, params }"); error.code = -32600; throw error;
      }
      const answer = JSON.parse(await window.__neocartWalletRequest(JSON.stringify({ method: args.method, params: args.params ?? [] })));
      if (answer.error) {
        const error = new Error(answer.error.message); error.code = answer.error.code; throw error;
      }
      if (args.method === "eth_requestAccounts" || args.method === "wallet_requestPermissions") emit("connect", { chainId: answer.chainId });
      return answer.result;
    },
    on(event, listener) { if (!listeners.has(event)) listeners.set(event, new Set()); listeners.get(event).add(listener); return provider; },
    removeListener(event, listener) { listeners.get(event)?.delete(listener); return provider; },
    off(event, listener) { return provider.removeListener(event, listener); },
  };
  Object.defineProperty(window, "__neocartTestWallet", { value: { emit } });
  window.ethereum = provider;
  const detail = Object.freeze({ info: Object.freeze(${JSON.stringify(info)}), provider });
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;

/** Installs the wallet on every page of `context` (present and future). */
export async function installTestWallet(context: BrowserContext, options: TestWalletOptions): Promise<TestWallet> {
  const chainId = options.chainId ?? 31337;
  const chain = { ...hardhat, id: chainId, rpcUrls: { default: { http: [options.rpcUrl] } } };
  const publicClient = createPublicClient({ chain, transport: http(options.rpcUrl) });
  let account = privateKeyToAccount(options.privateKey);
  let connected = options.connected ?? false;
  const requests: WalletRequestLog[] = [];
  const rejections = new Set<string>();

  const emitToPages = async (event: string, data: unknown) => {
    for (const page of context.pages()) {
      await page
        .evaluate(
          `window.__neocartTestWallet && window.__neocartTestWallet.emit(${JSON.stringify(event)}, ${JSON.stringify(data)})`,
        )
        .catch(() => {});
    }
  };

  async function handle(method: string, params: unknown[]): Promise<unknown> {
    if (rejections.delete(method)) throw new ProviderError(4001, "User rejected the request.");
    switch (method) {
      case "eth_requestAccounts":
        connected = true;
        return [account.address];
      case "eth_accounts":
        return connected ? [account.address] : [];
      case "eth_chainId":
        return toHex(chainId);
      case "net_version":
        return String(chainId);
      case "wallet_requestPermissions":
        connected = true;
        return [{ parentCapability: "eth_accounts", caveats: [] }];
      case "wallet_getPermissions":
        return connected ? [{ parentCapability: "eth_accounts", caveats: [] }] : [];
      case "wallet_revokePermissions":
        connected = false;
        return null;
      case "wallet_switchEthereumChain": {
        const wanted = Number((params[0] as { chainId: string }).chainId);
        if (wanted !== chainId) throw new ProviderError(4902, `The test wallet only knows chain ${chainId}.`);
        return null;
      }
      case "wallet_addEthereumChain":
        return null;
      case "personal_sign": {
        const [message, address] = params as [Hex, Address];
        mustBeOurs(address);
        return account.signMessage({ message: { raw: message } });
      }
      case "eth_signTypedData_v4": {
        const [address, json] = params as [Address, string];
        mustBeOurs(address);
        const typed = typeof json === "string" ? JSON.parse(json) : json;
        const { EIP712Domain: _domain, ...types } = typed.types;
        return account.signTypedData({
          domain: typed.domain,
          types,
          primaryType: typed.primaryType,
          message: typed.message,
        });
      }
      case "eth_sendTransaction": {
        const [tx] = params as [Record<string, Hex | undefined>];
        if (tx.from) mustBeOurs(tx.from as Address);
        const wallet = createWalletClient({ account, chain, transport: http(options.rpcUrl) });
        const big = (value: Hex | undefined) => (value === undefined ? undefined : hexToBigInt(value));
        // viem signs with the local key and sends eth_sendRawTransaction.
        return wallet.sendTransaction({
          to: tx.to as Address | undefined,
          data: tx.data ?? (tx.input as Hex | undefined),
          value: big(tx.value),
          gas: big(tx.gas),
          nonce: tx.nonce === undefined ? undefined : Number(tx.nonce),
        } as Parameters<typeof wallet.sendTransaction>[0]);
      }
      default:
        return publicClient.request({ method, params } as EIP1193Parameters<PublicRpcSchema>);
    }
  }

  function mustBeOurs(address: Address) {
    if (address.toLowerCase() !== account.address.toLowerCase()) {
      throw new ProviderError(4100, `The test wallet holds ${account.address}, not ${address}.`);
    }
    if (!connected) throw new ProviderError(4100, "Connect the wallet first (eth_requestAccounts).");
  }

  await context.exposeFunction("__neocartWalletRequest", async (json: string) => {
    const { method, params } = JSON.parse(json) as { method: string; params: unknown[] };
    const entry: WalletRequestLog = { method, params };
    requests.push(entry);
    try {
      const result = await handle(method, Array.isArray(params) ? params : [params]);
      return JSON.stringify({ result, chainId: toHex(chainId) }, (_key, value) =>
        typeof value === "bigint" ? toHex(value) : value,
      );
    } catch (caught) {
      const error: RpcError =
        caught instanceof ProviderError
          ? { code: caught.code, message: caught.message }
          : { code: -32603, message: (caught as Error).message };
      entry.error = error.message;
      return JSON.stringify({ error });
    }
  });
  await context.addInitScript({ content: pageScript(WALLET_INFO) });

  return {
    get address() {
      return account.address;
    },
    requests,
    rejectNext(method) {
      rejections.add(method);
    },
    async switchAccount(privateKey) {
      account = privateKeyToAccount(privateKey);
      await emitToPages("accountsChanged", connected ? [account.address] : []);
    },
    async disconnect() {
      connected = false;
      await emitToPages("accountsChanged", []);
    },
  };
}
