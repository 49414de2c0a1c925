// /checkout/return/<id>: the return URL form lib/payments builds (PAYMENTS_RETURN_URL/<order id>)
// for subscriptions, Coinbase and BTCPay.
import type { Metadata } from "next";
import { OrderStatusPage } from "../order-status-page.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Order status", robots: { index: false } };

export default async function CheckoutReturnByIdPage(props: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await props.params;
  return <OrderStatusPage orderId={orderId} canceled={false} />;
}
