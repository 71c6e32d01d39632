// Plain words about responses received: counts, the time of the last one, and why a headline has
// no figure yet — told from the arrivals counts (survey, round and community totals, which may be
// shown) and the view, never from a smaller group. Pure, for the pages and their tests.
import type { Arrivals } from "~/models/arrivals.server";
import type { DashboardView } from "~/dashboard/view";
import { ENGLISH_ENGINE, type EngineWords } from "~/dashboard/engine-words";

export const responses = (n: number) => `${n.toLocaleString("en-GB")} ${n === 1 ? "response" : "responses"}`;

/** "1 Dec 2026, 09:50 UTC": stored times are UTC, and the page reads the same on server and browser. */
export function receivedTime(iso: string): string {
  return `${new Date(iso).toLocaleString("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" })} UTC`;
}

/** "Mon 30 Nov" for a YYYY-MM-DD day. */
export function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" });
}

/** One line for lists: "12 responses received, the last on 1 Dec 2026, 09:50 UTC (2 excluded)". */
export function arrivalsLine(a: Pick<Arrivals, "total" | "excluded" | "lastReceivedAt">): string {
  const excluded = a.excluded ? ` (${a.excluded} excluded, not counted)` : "";
  if (a.total === 0) return `No responses yet${excluded}`;
  return `${responses(a.total)} received${a.lastReceivedAt ? `, the last on ${receivedTime(a.lastReceivedAt)}` : ""}${excluded}`;
}

/** The same, short, under a "Responses received" heading: "12, the last on 1 Dec 2026, 09:50 UTC". */
export function arrivalsShort(a: Pick<Arrivals, "total" | "excluded" | "lastReceivedAt">): string {
  const excluded = a.excluded ? ` (${a.excluded} excluded)` : "";
  if (a.total === 0) return `None yet${excluded}`;
  return `${a.total.toLocaleString("en-GB")}${a.lastReceivedAt ? `, the last on ${receivedTime(a.lastReceivedAt)}` : ""}${excluded}`;
}

type ViewPart = Pick<DashboardView, "period" | "communities" | "rounds" | "from" | "to" | "version" | "groups">;

const UNIT_WORD = { round: "unitRound", month: "unitMonth", quarter: "unitQuarter" } as const;

/**
 * Why a headline shows no figure, in the words of what arrived (in the page's language: `w`). The
 * headline hides a figure when no period has enough respondents in the indicator's denominator
 * (rounds: responses in no round never make a headline). Only whole-survey, one-round and
 * one-community counts are quoted.
 */
export function hiddenFigureReason(a: Arrivals, view: ViewPart, minCellSize: number, w: EngineWords = ENGLISH_ENGINE): string {
  const { t } = w;
  const unit = t(UNIT_WORD[view.period]);
  const min = minCellSize;
  const responses = (n: number) => t("responses", { n });
  if (a.total === 0) return a.excluded ? t("hiddenNoneExcluded", { excluded: a.excluded }) : t("hiddenNone");

  const onlyCommunity = view.communities.length === 1 && !view.rounds.length;
  const onlyRound = view.rounds.length === 1 && !view.communities.length;
  const otherFilters = view.from || view.to || view.version || Object.keys(view.groups).length > 0;
  if (!otherFilters && (onlyCommunity || onlyRound)) {
    const item = onlyCommunity ? a.communities.find((c) => c.id === view.communities[0]) : a.rounds.find((r) => r.id === view.rounds[0]);
    if (item) {
      if (item.n === 0) return t("hiddenNoneIn", { place: item.name, responses: responses(a.total) });
      if (item.n < minCellSize) return t("hiddenFewIn", { responses: responses(item.n), place: item.name, min, unit });
      return t("hiddenEnoughIn", { responses: responses(item.n), place: item.name, min, unit });
    }
  }
  if (view.communities.length || view.rounds.length || otherFilters) return t("hiddenFiltered", { responses: responses(a.total), min, unit });

  const few = a.total < minCellSize;
  const noRound = a.rounds.find((r) => r.id === null)?.n ?? 0;
  const named = a.rounds.filter((r) => r.id !== null);
  if (view.period === "round") {
    if (named.length === 0) return t("hiddenNoRounds", { responses: responses(a.total) });
    if (noRound === a.total) return few ? t("hiddenAllNoRoundFew", { responses: responses(a.total), min, unit }) : t("hiddenAllNoRound", { responses: responses(a.total) });
  }
  if (few) return t("hiddenFew", { responses: responses(a.total), min, unit });
  if (view.period === "round") {
    const largest = Math.max(...named.map((r) => r.n));
    const elsewhere = noRound ? t("hiddenElsewhere", { n: noRound }) : "";
    if (largest < minCellSize) return t("hiddenNoRoundBigEnough", { responses: responses(a.total), min, elsewhere });
    return t("hiddenNotAnswered", { responses: responses(a.total), min, elsewhere });
  }
  return t("hiddenNoPeriod", { responses: responses(a.total), min, unit });
}
