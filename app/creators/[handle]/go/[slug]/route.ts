// A product link on a creator's storefront: records the click (the attribution of the product's
// next wallet checkout to the creator) and sends the shopper on to the product page.
//
// Only a navigation started on our own storefront page counts. A click recorded for any request
// would let another site stuff attributions into shoppers' browsers with hidden requests, and link
// prefetching would record clicks nobody made; so the browser's Sec-Fetch-* headers (or, from
// browsers that send none, the Referer) must show a same-origin navigation.
import { NextResponse } from "next/server";
import {
  newVisitorId,
  productSlugSchema,
  REFERRAL_COOKIE,
  recordCreatorReferral,
} from "../../../../../lib/influencers/referrals.ts";
import { InvalidInputError } from "../../../../../lib/pricing/errors.ts";
import { database } from "../../../../_server/db.ts";
import { currentViewer } from "../../../../_server/session.ts";
import { webSettings } from "../../../../_server/settings.ts";
import { referralCookieOptions, referralVisitorId } from "../../../_server/referral-cookie.ts";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ handle: string; slug: string }> };

function isStorefrontNavigation(request: Request, origin: string, handle: string): boolean {
  const site = request.headers.get("sec-fetch-site");
  const mode = request.headers.get("sec-fetch-mode");
  if (site !== null) return site === "same-origin" && (mode === null || mode === "navigate");
  const referer = request.headers.get("referer");
  if (!referer) return false;
  try {
    const from = new URL(referer);
    return from.origin === new URL(origin).origin && from.pathname === `/creators/${handle}`;
  } catch {
    return false;
  }
}

function seeOther(location: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}

export async function GET(request: Request, props: Params): Promise<Response> {
  const { handle, slug } = await props.params;
  const settings = webSettings();
  if (!productSlugSchema.safeParse(slug).success) {
    return NextResponse.json(
      { error: `"${slug}" is not a product address; follow a product link from the creator's page.` },
      { status: 400, headers: { "cache-control": "no-store" } },
    );
  }
  const response = seeOther(`/product/${slug}`);
  if (!isStorefrontNavigation(request, settings.NEOCART_ORIGIN, handle)) return response;

  const visitorId = (await referralVisitorId()) ?? newVisitorId();
  const viewer = await currentViewer().catch(() => null);
  const result = await recordCreatorReferral(database(), {
    handle: handle.toLowerCase(),
    productSlug: slug,
    visitorId,
    viewerUserId: viewer?.userId,
  }).catch((error: unknown) => {
    // A malformed handle is not worth an error page: the shopper still gets the product.
    if (error instanceof InvalidInputError) return { recorded: false as const };
    throw error;
  });
  if (result.recorded) response.cookies.set(REFERRAL_COOKIE, visitorId, referralCookieOptions(settings.NEOCART_ORIGIN));
  return response;
}
