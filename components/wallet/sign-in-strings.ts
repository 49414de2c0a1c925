// The sign-in strings in the viewer's language, for server components that render SignInWithWallet.
import type { Translate } from "../../lib/i18n/translate.ts";
import type { SignInStrings } from "./sign-in-with-wallet.tsx";

export function signInStrings(t: Translate): SignInStrings {
  return {
    connect: t("walletAuth.connect"),
    wrongNetwork: t("walletAuth.wrongNetwork"),
    signIn: t("walletAuth.signIn"),
    signingIn: t("walletAuth.signingIn"),
    signOut: t("walletAuth.signOut"),
    signedInAs: t("walletAuth.signedInAs"),
    connectFirst: t("walletAuth.connectFirst"),
    otherWallet: t("walletAuth.otherWallet"),
    statement: t("walletAuth.statement"),
    rejected: t("walletAuth.rejected"),
    failed: t("walletAuth.failed"),
  };
}
