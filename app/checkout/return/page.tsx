// /checkout/return?order=<id>: the card checkout's return page.
import type { Metadata } from "next";
import { OrderStatusPage } from "./order-status-page.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Order status", robots: { index: false } };

export default async function CheckoutReturnPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const search = await props.searchParams;
  const order = typeof search.order === "string" ? search.order : undefined;
  return <OrderStatusPage orderId={order} canceled={search.canceled === "1"} />;
}
