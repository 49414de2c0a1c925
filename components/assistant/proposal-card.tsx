"use client";
// A change the assistant proposed, shown with explicit buttons. Only the shopper's click on Confirm
// runs the cart's own server action (the same one the product page's "Add to cart" posts to), which
// re-reads the offer and prices on the server. Group buys are on-chain pools started from the
// shopper's wallet, so the card links to the product instead of doing anything itself.
import Link from "next/link";
import { useState, useTransition } from "react";
import { addToCart } from "../../app/cart/actions.ts";
import type { Proposal } from "../../lib/assistant/tools.ts";
import { formatMoney } from "../../lib/i18n/format.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import styles from "./assistant.module.css";
import { type AssistantStrings, fill } from "./assistant-strings.ts";

type State = { kind: "open" } | { kind: "done"; ok: boolean; message: string };

export function ProposalCard(props: { proposal: Proposal; strings: AssistantStrings; locale: string }) {
  const { proposal, strings } = props;
  const [state, setState] = useState<State>({ kind: "open" });
  const [pending, startTransition] = useTransition();
  const locale: Locale = props.locale === "es" ? "es" : "en";

  if (proposal.kind === "start_group_buy") {
    return (
      <div className={styles.proposal} data-testid="assistant-proposal" data-kind={proposal.kind}>
        <p>
          {fill(strings.proposalGroupBuy, {
            title: proposal.title,
            min: proposal.minUnits,
            max: proposal.maxUnits,
            days: proposal.durationDays,
          })}
        </p>
        <p className="muted">{strings.proposalGroupBuyHint}</p>
        <Link href={`/product/${proposal.productId}`}>{strings.openProduct}</Link>
      </div>
    );
  }

  function confirm() {
    if (proposal.kind !== "add_to_cart") return;
    const form = new FormData();
    form.set("offerId", proposal.offerId);
    form.set("quantity", String(proposal.quantity));
    startTransition(async () => {
      try {
        const result = await addToCart(undefined, form);
        setState({ kind: "done", ok: result.status === "ok", message: result.message || strings.confirmed });
      } catch (error) {
        setState({ kind: "done", ok: false, message: fill(strings.error, { message: (error as Error).message }) });
      }
    });
  }

  const price = formatMoney(BigInt(proposal.price.minor), proposal.price.currency, locale);
  return (
    <div className={styles.proposal} data-testid="assistant-proposal" data-kind={proposal.kind}>
      <p>{fill(strings.proposalCart, { quantity: proposal.quantity, title: proposal.title, price })}</p>
      {state.kind === "open" ? (
        <>
          <p className="muted">{strings.guardrail}</p>
          <div className="row">
            <button type="button" onClick={confirm} disabled={pending} data-testid="assistant-confirm">
              {strings.confirm}
            </button>
            <button
              type="button"
              className="button-secondary"
              disabled={pending}
              onClick={() => setState({ kind: "done", ok: true, message: strings.dismissed })}
              data-testid="assistant-dismiss"
            >
              {strings.dismiss}
            </button>
          </div>
        </>
      ) : null}
      <p
        role="status"
        data-testid="assistant-proposal-status"
        className={state.kind === "done" && !state.ok ? "error" : undefined}
      >
        {state.kind === "done" ? state.message : ""}
      </p>
    </div>
  );
}
