import { createRequire } from "node:module";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// The machines here reach only the npm registry, so solc comes from the pinned `solc` package
// instead of Hardhat's compiler download.
const SOLC_VERSION = "0.8.30";

// Let parallel runs (helpers, CI jobs) build into their own folders without racing.
const buildDir = process.env.NEOCART_BUILD_DIR;

const l2RpcUrl = process.env.L2_RPC_URL;
const l2ChainId = Number(process.env.L2_CHAIN_ID ?? "84532");

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    profiles: {
      default: {
        version: SOLC_VERSION,
        path: require.resolve("solc/soljson.js"),
        settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "cancun" },
      },
      production: {
        version: SOLC_VERSION,
        path: require.resolve("solc/soljson.js"),
        settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "cancun" },
      },
    },
  },
  paths: {
    tests: { solidity: "test/solidity", nodejs: "test/contracts" },
    ...(buildDir ? { artifacts: `${buildDir}/artifacts`, cache: `${buildDir}/cache` } : {}),
  },
  test: {
    solidity: {
      profiles: {
        // Fast edit loop.
        default: {
          fuzz: { runs: 256 },
          invariant: { runs: 64, depth: 50 },
        },
        // What CI runs (TESTPLAN): 5,000 runs per fuzz property, a fixed seed, invariants
        // of at least 256 runs x 100 calls.
        ci: {
          fuzz: {
            runs: 5_000,
            seed: "0x4e656f436172742d63692d73656564",
          },
          invariant: { runs: 256, depth: 100 },
        },
        // Occasional deep run.
        deep: {
          fuzz: { runs: 50_000 },
          invariant: { runs: 1_000, depth: 200 },
        },
      },
    },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1", hardfork: "cancun" },
    localhost: { type: "http", chainType: "l1", url: process.env.LOCAL_RPC_URL ?? "http://127.0.0.1:8545" },
    ...(l2RpcUrl
      ? {
          l2Testnet: {
            type: "http" as const,
            chainType: "op" as const,
            url: l2RpcUrl,
            chainId: l2ChainId,
            accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
          },
        }
      : {}),
  },
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
    blockscout: { enabled: true },
    sourcify: { enabled: true },
  },
});
