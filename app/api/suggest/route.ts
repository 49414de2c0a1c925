// Type-ahead suggestions for the search box: GET /api/suggest?q=hea&locale=en.
import { NextResponse } from "next/server";
import { SearchInputError } from "../../../lib/search/search-input.ts";
import { suggest } from "../../../lib/search/suggest.ts";
import { database } from "../../_server/db.ts";

export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const prefix = url.searchParams.get("q") ?? "";
  const locale = url.searchParams.get("locale") ?? "en";
  try {
    const suggestions = await suggest(database(), prefix, 8, locale);
    return NextResponse.json({ suggestions }, { headers: { "Cache-Control": "private, max-age=30" } });
  } catch (error) {
    if (error instanceof SearchInputError) {
      return NextResponse.json({ error: error.problems.join("; ") }, { status: 400 });
    }
    throw error;
  }
}
