"use client";
// The "use my points" choice of the fiat checkout. Ticked, it asks the server for the consent to
// sign (holder = the signed-in wallet, a fresh order id, a deadline), has the wallet sign it
// (EIP-712) and hands the signed values to the form; the server checks them, prices the order with
// the points and burns them before the payment. Rendered only inside the wallet providers.
import { useEffect, useState } from "react";
import { useSignTypedData } from "wagmi";
import type { PointsConsentRequest } from "../../app/checkout/fiat/actions.ts";
import { pointsConsentTypes } from "../../lib/orders/points-consent.ts";

/** The signed consent as form fields, "declined" when the wallet refused, undefined when not ticked. */
export type PointsSigner = () => Promise<Record<string, string> | "declined" | undefined>;

export function PointsConsentField(props: {
  usable: number;
  prepare: (points: number) => Promise<PointsConsentRequest>;
  /** Receives the signer the form calls on submit. */
  onSigner: (signer: PointsSigner | undefined) => void;
  labels: { legend: string; use: string; hint: string; signing: string };
}) {
  const [use, setUse] = useState(false);
  const [signing, setSigning] = useState(false);
  const { signTypedDataAsync } = useSignTypedData();
  const { usable, prepare, onSigner } = props;

  useEffect(() => {
    onSigner(
      use
        ? async () => {
            const request = await prepare(usable);
            if (!request.ok) throw new Error(request.error);
            const { domain, message } = request.typedData;
            setSigning(true);
            try {
              const signature = await signTypedDataAsync({
                domain,
                types: pointsConsentTypes,
                primaryType: "PointsRedemption",
                message: {
                  holder: message.holder,
                  amount: BigInt(message.amount),
                  orderId: message.orderId,
                  deadline: BigInt(message.deadline),
                },
              });
              return {
                pointsToRedeem: String(usable),
                pointsHolder: message.holder,
                pointsAmount: message.amount,
                pointsOrderId: message.orderId,
                pointsDeadline: message.deadline,
                pointsSignature: signature,
              };
            } catch {
              return "declined";
            } finally {
              setSigning(false);
            }
          }
        : undefined,
    );
  }, [use, usable, prepare, onSigner, signTypedDataAsync]);

  return (
    <fieldset className="stack" data-testid="fiat-points">
      <legend>{props.labels.legend}</legend>
      <label className="row">
        <input
          type="checkbox"
          checked={use}
          onChange={(event) => setUse(event.currentTarget.checked)}
          aria-describedby="fiat-points-hint"
          data-testid="fiat-points-use"
        />
        <span>{props.labels.use}</span>
      </label>
      <p id="fiat-points-hint" className="muted">
        {props.labels.hint}
      </p>
      <p role="status" aria-live="polite" className="muted">
        {signing ? props.labels.signing : ""}
      </p>
    </fieldset>
  );
}
