// The frame of every page: fonts from the `geist` package (no font download at build), header,
// main landmark and footer, in the shopper's language.
import { GeistSans } from "geist/font/sans";
import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AssistantLauncher } from "../components/assistant/assistant-launcher.tsx";
import { assistantStrings } from "../components/assistant/assistant-strings.ts";
import { SiteHeader } from "../components/ui/site-header.tsx";
import { preferences } from "./_server/preferences.ts";
import { currentViewer } from "./_server/session.ts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "NeoCart", template: "%s · NeoCart" },
  description: "A Web3-native marketplace: escrow-protected checkout, verified reviews, loyalty points and group buys.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0f766e" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, currency, t } = await preferences();
  const viewer = await currentViewer().catch(() => null);
  return (
    <html lang={locale} className={GeistSans.variable}>
      <body>
        <SiteHeader t={t} locale={locale} currency={currency} address={viewer?.address} roles={viewer?.roles ?? []} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>{t("footer.onchain")}</p>
          <p>
            <Link href="/account">{t("footer.privacy")}</Link> · <Link href="/explorer">{t("nav.explorer")}</Link>
          </p>
        </footer>
        <AssistantLauncher strings={assistantStrings(t)} locale={locale} />
      </body>
    </html>
  );
}
