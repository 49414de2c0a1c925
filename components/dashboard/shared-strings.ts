// Strings the client-side chain widgets need, picked from the catalog on the server.
import type { Translate } from "../../lib/i18n/translate.ts";
import type { TxStrings } from "./tx-status.tsx";
import type { WalletGateStrings } from "./wallet-gate.tsx";

export function txStrings(t: Translate): TxStrings {
  return {
    signing: t("tx.signing"),
    mining: t("tx.mining"),
    indexing: t("tx.indexing"),
    done: t("tx.done"),
    failed: t("tx.failed"),
  };
}

export function walletGateStrings(t: Translate): WalletGateStrings {
  return {
    connect: t("wallet.connect"),
    wrongAccount: t("wallet.wrongAccount"),
    wrongChain: t("wallet.wrongChain"),
    switchChain: t("wallet.switchChain"),
  };
}
