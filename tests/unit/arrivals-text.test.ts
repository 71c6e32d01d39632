// Why a headline has no figure, told from what arrived: every case the dashboard can meet, and
// never a count smaller than a round's or a community's.
import { describe, expect, it } from "vitest";
import { arrivalsLine, arrivalsShort, hiddenFigureReason } from "../../app/ui/dashboard/arrivals-text";
import { parseView } from "../../app/dashboard/view";
import type { Arrivals } from "../../app/models/arrivals.server";

const arrivals = (rounds: [string | null, number][], communities: [string | null, number][] = [["c1", rounds.reduce((s, [, n]) => s + n, 0)]], excluded = 0): Arrivals => ({
  surveyId: "s",
  total: rounds.reduce((s, [, n]) => s + n, 0),
  excluded,
  lastReceivedAt: rounds.length ? "2026-11-30T08:05:00.000Z" : null,
  rounds: rounds.map(([id, n]) => ({ id, name: id ? `Round ${id}` : "No round", n })),
  communities: communities.map(([id, n]) => ({ id, name: id ? `Community ${id}` : "Not answered", n })),
  days: [],
});
const view = (query = "") => parseView(new URLSearchParams(query));

describe("the reason an empty headline gives", () => {
  it("no responses at all, with or without exclusions", () => {
    expect(hiddenFigureReason(arrivals([["r1", 0]], [["c1", 0]]), view(), 5)).toBe("No responses yet.");
    expect(hiddenFigureReason(arrivals([["r1", 0]], [["c1", 0]], 2), view(), 5)).toBe("No responses yet (2 excluded, not counted).");
  });

  it("3 and 5 responses all in no round", () => {
    expect(hiddenFigureReason(arrivals([["r1", 0], [null, 3]]), view(), 5)).toBe(
      "3 responses received so far, all in no round — check the rounds' dates; figures appear from 5 respondents in a round.",
    );
    expect(hiddenFigureReason(arrivals([["r1", 0], [null, 5]]), view(), 5)).toBe("5 responses received, all in no round — check the rounds' dates.");
  });

  it("too few in the rounds, too few answering, no rounds at all, and by month", () => {
    expect(hiddenFigureReason(arrivals([["r1", 1]]), view(), 5)).toBe("1 response received so far; figures appear from 5 respondents in a round.");
    expect(hiddenFigureReason(arrivals([["r1", 4], ["r2", 4], [null, 2]]), view(), 5)).toBe(
      "10 responses received, but no round has 5 respondents yet (2 in no round — check the rounds' dates).",
    );
    expect(hiddenFigureReason(arrivals([["r1", 12]]), view(), 5)).toBe("12 responses received, but fewer than 5 respondents answered this question in any round.");
    expect(hiddenFigureReason(arrivals([[null, 7]]), view(), 5)).toBe("7 responses received, but the programme has no rounds yet: add rounds on the programme page, or view by month.");
    expect(hiddenFigureReason(arrivals([[null, 3]]), view("period=month"), 5)).toBe("3 responses received so far; figures appear from 5 respondents in a month.");
    expect(hiddenFigureReason(arrivals([[null, 9]]), view("period=quarter"), 5)).toBe("9 responses received, but no quarter has 5 respondents answering this question yet.");
  });

  it("one community or one round in view: its own count; anything narrower: only the survey's", () => {
    const a = arrivals([["r1", 9]], [["c1", 2], ["c2", 7], ["c3", 0]]);
    expect(hiddenFigureReason(a, view("community=c1"), 5)).toBe("2 responses received in Community c1 so far; figures appear from 5 respondents in a round.");
    expect(hiddenFigureReason(a, view("community=c3"), 5)).toBe("No responses yet in Community c3 (9 responses in the whole survey).");
    expect(hiddenFigureReason(a, view("round=r1"), 5)).toBe("9 responses received in Round r1, but fewer than 5 respondents answered this question in any round.");
    // Community × round or a group filter would be a smaller group than the product publishes.
    for (const q of ["community=c1&round=r1", "community=c2&g.gender=woman", "g.gender=woman"])
      expect(hiddenFigureReason(a, view(q), 5)).toBe("9 responses received in the whole survey; fewer than 5 respondents in any round match these filters.");
  });
});

describe("the responses-received line", () => {
  it("counts, the last time in UTC and the excluded", () => {
    expect(arrivalsLine(arrivals([["r1", 1234]], undefined, 3))).toBe("1,234 responses received, the last on 30 Nov 2026, 08:05 UTC (3 excluded, not counted)");
    expect(arrivalsShort(arrivals([["r1", 1]]))).toBe("1, the last on 30 Nov 2026, 08:05 UTC");
    expect(arrivalsShort({ total: 0, excluded: 0, lastReceivedAt: null })).toBe("None yet");
  });
});
