// The local chain's well-known accounts (Hardhat's test mnemonic) and the part each plays in the
// e2e stack. The keys are public: they only ever hold value on a throwaway local chain.
import { type Address, bytesToHex, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

export type DevAccount = { index: number; address: Address; privateKey: Hex };

export function devAccount(index: number): DevAccount {
  const account = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index });
  const key = account.getHdKey().privateKey;
  if (!key) throw new Error(`no private key derived for account #${index}`);
  return { index, address: account.address, privateKey: bytesToHex(key) };
}

/**
 * Who is who in the e2e stack (scripts/seed-chain.ts wires the same accounts on chain: #0 admin,
 * #1 quote signer in dev, #2 arbiter, #3 treasury, #4/#7 buyers, #5/#8 sellers).
 */
export const e2eRoles = {
  admin: 0,
  arbiter: 2,
  shopper: 4,
  seller: 5,
  shopper2: 7,
} as const;

export type E2eRole = keyof typeof e2eRoles;

export function e2eAccounts(): Record<E2eRole, DevAccount> {
  return {
    admin: devAccount(e2eRoles.admin),
    arbiter: devAccount(e2eRoles.arbiter),
    shopper: devAccount(e2eRoles.shopper),
    seller: devAccount(e2eRoles.seller),
    shopper2: devAccount(e2eRoles.shopper2),
  };
}
