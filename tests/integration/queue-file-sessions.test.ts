// A facilitator's tablet spends the week offline in Riverside: one focus-group session, three
// responses, two people who declined. Back in the office, nobody's tablet reaches the server, so
// the facilitator saves the queue to a file and imports it on the Data page. The session, its
// refusals and its responses arrive together: the sessions page lists them, and the responses count
// in Riverside's round on the dashboard, exactly as if the tablet had synced.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { importThroughPage } from "../support/exchange";
import { aPublishedSurvey, sdg16Answers } from "../support/fixtures";
import { createLink } from "../../app/models/collection-links.server";
import { createCommunity } from "../../app/models/programmes.server";
import { apiSeries } from "../../app/dashboard/api.server";
import type { QueueFile } from "../../app/collector/types";

describeEachDatabase("a tablet's queue file", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  async function importOnDataPage(web: HttpClient, surveyId: string, file: QueueFile) {
    const { dry, done: finished } = await importThroughPage(web, t.db, surveyId, { name: "queue-tablet-3.json", body: JSON.stringify(file, null, 1), type: "application/json" });
    const done = finished!;
    const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");
    return { dry: unescape(dry.text), done: unescape(done.text) };
  }

  it("brings the session and refusals in with the responses, which keep their session, community and round", async () => {
    const s = await aPublishedSurvey(t.db);
    const riverside = await createCommunity(t.db, { programmeId: s.programme.id, name: "Riverside", region: "East" });
    // A tablet link bound to no community: its sessions say where they were held.
    const link = await createLink(t.db, { surveyId: s.surveyId, mode: "kiosk", label: "Tablet 3", createdBy: s.facilitator.id });
    const bundle = await (await fetch(`${server.url}/api/v1/links/${link.token}`)).json();
    expect(bundle.link).toMatchObject({ id: link.id, label: "Tablet 3" });

    const sessionId = randomUUID();
    const response = (answers: Record<string, unknown>, inSession = true) => ({
      id: randomUUID(),
      surveyVersion: 1,
      collectedAt: "2026-11-20T10:00:00.000Z",
      language: "en",
      ...(inSession ? { sessionId } : {}),
      answers,
    });
    // The file exactly as the collector's queueFile() writes it (responses may be sealed or, from old pages, plain).
    const file: QueueFile = {
      link: { id: bundle.link.id, label: bundle.link.label },
      responses: [
        response(sdg16Answers()),
        response(sdg16Answers({ safe_after_dark: "4", gender: "man" })),
        response(sdg16Answers({ safe_after_dark: "1" })),
      ] as unknown as QueueFile["responses"],
      sessions: [
        {
          id: sessionId,
          communityId: riverside,
          roundId: s.roundId,
          heldOn: "2026-11-20",
          groupDescription: "Market traders, women",
          participantCount: 12,
          notes: "Held under the big tree.",
          updatedAt: "2026-11-20T12:00:00.000Z",
        },
      ],
      refusals: [
        { id: randomUUID(), sessionId, recordedOn: "2026-11-20" },
        { id: randomUUID(), sessionId, recordedOn: "2026-11-20" },
      ],
    };

    const web = new HttpClient(server.url);
    await web.signIn(s.facilitator.email, s.facilitator.password);
    const first = await importOnDataPage(web, s.surveyId, file);
    expect(first.dry).toContain('1 focus-group session(s) and 2 consent refusal(s) will be imported with the link "Tablet 3"');
    expect(first.done).toContain("were imported with the link");

    const stored = await t.db.selectFrom("responses").select(["session_id", "community_id", "round_id", "link_id"]).where("survey_id", "=", s.surveyId).execute();
    expect(stored).toHaveLength(3);
    expect(stored.every((r) => r.session_id === sessionId && r.community_id === riverside && r.round_id === s.roundId && r.link_id === link.id)).toBe(true);

    // The sessions page lists it with its responses and refusals.
    const sessions = await web.get(`/programmes/${s.programme.id}/sessions`);
    expect(sessions.status).toBe(200);
    const row = /<tr>(?:(?!<\/tr>).)*Market traders, women(?:(?!<\/tr>).)*<\/tr>/s.exec(sessions.text)?.[0] ?? "";
    expect(row).toContain("Riverside");
    expect([...row.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]))).toEqual([12, 3, 2]);

    // The dashboard has them in Riverside's baseline and nowhere else (three people: the figure itself is hidden).
    const round = await t.db.selectFrom("rounds").select("name").where("id", "=", s.roundId).executeTakeFirstOrThrow();
    const byCommunity = await apiSeries(t.db, s.facilitator.viewer, s.surveyId, s.definition.indicators[0].id, new URLSearchParams({ by: "community" }));
    expect(byCommunity!.points.map((p) => [p.periodLabel, p.group])).toEqual([[round.name, { community: riverside }]]);

    // The same file again adds nothing: no second session, no refusal counted twice.
    const again = await importOnDataPage(web, s.surveyId, file);
    expect(again.done).toMatch(/<strong>3<\/strong>\s*(?:<!-- -->)?\s*already stored/);
    const counts = await t.db.selectFrom("refusals").select((eb) => eb.fn.countAll<number>().as("n")).where("session_id", "=", sessionId).executeTakeFirstOrThrow();
    expect(Number(counts.n)).toBe(2);
    expect(await t.db.selectFrom("fg_sessions").select("id").where("survey_id", "=", s.surveyId).execute()).toHaveLength(1);
  });

  it("says why a file from an older app, or from another survey's link, brings its responses but not its sessions", async () => {
    const s = await aPublishedSurvey(t.db);
    const other = await aPublishedSurvey(t.db);
    const web = new HttpClient(server.url);
    await web.signIn(s.facilitator.email, s.facilitator.password);
    const session = { id: randomUUID(), communityId: null, roundId: null, heldOn: "2026-11-20", groupDescription: "", participantCount: null, notes: "", updatedAt: "2026-11-20T12:00:00.000Z" };
    const base = { responses: [{ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-11-20T10:00:00.000Z", language: "en", answers: sdg16Answers() }] as unknown as QueueFile["responses"], sessions: [session], refusals: [] };
    const old = await importOnDataPage(web, s.surveyId, base);
    expect(old.done).toContain("the file does not name its collection link");
    const foreign = await importOnDataPage(web, s.surveyId, { ...base, link: { id: other.link.id, label: "Tablet 1" } });
    expect(foreign.done).toContain("not one of this survey's");
    expect(await t.db.selectFrom("fg_sessions").select("id").where("id", "=", session.id).execute()).toHaveLength(0);
  });
});
