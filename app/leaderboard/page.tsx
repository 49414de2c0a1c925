// Top shoppers by points earned, this month and all time, from the ranking lib/gamification keeps
// (re-ranked at most once a minute); the signed-in shopper's own row is highlighted.
import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { BarChart } from "../../components/charts/bar-chart.tsx";
import { formatPoints, shortAddress } from "../../components/gamification/format-points.ts";
import { type LeaderboardEntry, readLeaderboard } from "../../lib/gamification/leaderboard.ts";
import { leaderboardPeriods } from "../../lib/gamification/tables.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Leaderboard" };

const periodSchema = z.enum(leaderboardPeriods).catch("month");

const nameOf = (e: LeaderboardEntry) => e.displayName?.trim() || shortAddress(e.address);
/** Points as a chart value: whole points are plenty for bar lengths. */
const chartValue = (points: bigint) => Number(points / 10n ** 16n) / 100;

export default async function LeaderboardPage(props: { searchParams: Promise<{ period?: string }> }) {
  const { locale, t } = await preferences();
  const period = periodSchema.parse((await props.searchParams).period);
  const viewer = await currentViewer();
  const board = await readLeaderboard(database(), webSettings().NEOCART_VIEWS_SCHEMA, {
    period,
    viewerAddress: viewer?.address,
  });
  const periodName = t(`leaderboard.period.${period}`);
  const mine = board.viewer?.address;
  return (
    <div className="stack">
      <h1>{t("leaderboard.title")}</h1>
      <p className="muted">{t("leaderboard.intro")}</p>
      {!board.indexed && <p className="notice">{t("dash.noIndexer")}</p>}
      <nav aria-label={t("leaderboard.periods")}>
        <ul className="row" style={{ listStyle: "none", padding: 0 }}>
          {leaderboardPeriods.map((p) => (
            <li key={p}>
              <Link
                href={`/leaderboard?period=${p}`}
                aria-current={p === period ? "page" : undefined}
                className={p === period ? "button" : "button button-secondary"}
                data-testid={`leaderboard-period-${p}`}
              >
                {t(`leaderboard.period.${p}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <div className="card" data-testid="leaderboard-you">
        <p>
          {!viewer
            ? t("leaderboard.signIn")
            : board.viewer
              ? t("leaderboard.yourRank", { rank: board.viewer.rank, points: formatPoints(board.viewer.points) })
              : t("leaderboard.notRanked")}
        </p>
      </div>

      <section className="card stack" aria-labelledby="leaderboard-top">
        <h2 id="leaderboard-top">{t("leaderboard.top", { period: periodName })}</h2>
        {board.entries.length === 0 ? (
          <p className="muted">{t("leaderboard.empty")}</p>
        ) : (
          <>
            <div className="table-scroll">
              <table data-testid="leaderboard">
                <thead>
                  <tr>
                    <th scope="col">{t("leaderboard.rank")}</th>
                    <th scope="col">{t("leaderboard.shopper")}</th>
                    <th scope="col">{t("leaderboard.points")}</th>
                  </tr>
                </thead>
                <tbody>
                  {board.entries.map((e) => {
                    const isMe = e.address === mine;
                    return (
                      <tr
                        key={e.address}
                        className={isMe ? "leaderboard-me" : undefined}
                        aria-current={isMe ? "true" : undefined}
                        data-testid="leaderboard-row"
                        data-address={e.address}
                        data-me={isMe ? "yes" : "no"}
                      >
                        <td>{e.rank}</td>
                        <td>
                          <span className={e.displayName ? undefined : "mono"} title={e.address}>
                            {nameOf(e)}
                          </span>
                          {isMe ? <strong> ({t("leaderboard.you")})</strong> : null}
                        </td>
                        <td data-raw={e.points.toString()}>{formatPoints(e.points)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <BarChart
              testId="leaderboard-chart"
              points={board.entries.map((e) => ({
                label: `${e.rank}. ${nameOf(e)}`,
                value: chartValue(e.points),
                display: formatPoints(e.points),
              }))}
              text={{
                title: t("leaderboard.chartTitle"),
                description: t("leaderboard.chartDescription", { count: board.entries.length, period: periodName }),
                labelHeader: t("leaderboard.shopper"),
                valueHeader: t("leaderboard.points"),
                tableSummary: t("leaderboard.chartSummary"),
              }}
            />
          </>
        )}
        {board.refreshedAt ? (
          <p className="muted">{t("leaderboard.updated", { when: formatDate(board.refreshedAt, locale) })}</p>
        ) : null}
      </section>
    </div>
  );
}
