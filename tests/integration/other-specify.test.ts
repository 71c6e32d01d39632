// "Other, please specify", as Kobo and ODK forms have it: a multiple choice `threats` with an
// option `other` beside a text question `threats_other`. Its export has one column for each
// (`threats/other` and `threats_other`), so the file comes back exactly: into the same survey as
// duplicates only, into a copy with the same answers, typed text included, and the same dashboards.
import { afterAll, beforeAll, expect, it } from "vitest";
import Papa from "papaparse";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aMarketSurvey, marketAnswers, marketSurvey, storeResponses } from "../support/exchange";
import { createSurvey, publishDraft } from "../../app/models/surveys.server";
import { runImport } from "../../app/exchange/import.server";
import { decodeUpload } from "../../app/exchange/decode";
import { apiSeries } from "../../app/dashboard/api.server";
import type { SurveyDefinition } from "../../app/survey";

const withOtherSpecify = (): SurveyDefinition => {
  const def = marketSurvey();
  const threats = def.questions.find((q) => q.id === "threats")!;
  threats.options!.push({ code: "other", label: { en: "Other", fr: "Autre" } });
  const at = def.questions.indexOf(threats) + 1;
  def.questions.splice(at, 0, { id: "threats_other", type: "text", label: { en: "Which other threat?", fr: "Quelle autre menace ?" } });
  def.indicators.push({ id: "other_threat", kind: "share", label: { en: "Name another threat", fr: "Citent une autre menace" }, question: "threats", codes: ["other"], denominator: "all", direction: "lower_is_better" });
  return def;
};

describeEachDatabase("other, please specify", (dialect) => {
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

  it("round-trips: export, import into the same survey (all duplicates) and into a copy (the same answers and dashboards)", async () => {
    const s = await aMarketSurvey(t.db, withOtherSpecify());
    const answers = Array.from({ length: 40 }, (_, i) =>
      i % 3 === 0
        ? marketAnswers({ threats: ["theft", "other"], threats_other: `Stray dogs near stall ${i}`, gender: i % 2 ? "man" : "woman" })
        : i % 3 === 1
          ? marketAnswers({ threats: ["other"], threats_other: "other", safe_market: "3" }) // the text may even be the option's code
          : marketAnswers({ threats: ["harassment"], safe_market: "1" }),
    );
    await storeResponses(t.db, { surveyId: s.surveyId, communityId: s.programme.communityId, roundId: s.roundId }, answers);
    const web = new HttpClient(server.url);
    await web.signIn(s.facilitator.email, s.facilitator.password);
    const csv = (await web.get(`/api/v1/surveys/${s.surveyId}/responses.csv`)).text;
    const header = Papa.parse<string[]>(csv).data[0];
    expect(new Set(header).size).toBe(header.length);
    expect(header).toEqual(expect.arrayContaining(["threats/other", "threats_other"]));

    const same = await runImport(t.db, { surveyId: s.surveyId, programmeId: s.programme.id, fileName: "export.csv", ...decodeUpload(new TextEncoder().encode(csv)), commit: true });
    expect(same).toMatchObject({ rows: 40, valid: 0, duplicates: 40, conflicts: 0, invalid: 0 });

    const copyId = await createSurvey(t.db, { programmeId: s.programme.id, definition: withOtherSpecify(), createdBy: s.facilitator.id });
    expect((await publishDraft(t.db, copyId, s.facilitator.id)).ok).toBe(true);
    const copy = await runImport(t.db, { surveyId: copyId, programmeId: s.programme.id, fileName: "export.csv", ...decodeUpload(new TextEncoder().encode(csv)), commit: true });
    expect(copy).toMatchObject({ rows: 40, valid: 40, invalid: 0, conflicts: 0 });
    expect(copy.columns.filter((c) => c.target === null)).toEqual([]);

    const answersOf = async (surveyId: string) =>
      (await t.db.selectFrom("responses").select(["answers", "collected_at"]).where("survey_id", "=", surveyId).execute())
        .map((r) => {
          const a = JSON.parse(r.answers) as Record<string, unknown>;
          return JSON.stringify([r.collected_at, Object.keys(a).sort().map((k) => [k, a[k]])]);
        })
        .sort();
    expect(await answersOf(copyId)).toEqual(await answersOf(s.surveyId));

    for (const indicator of ["feel_safe_market", "other_threat"])
      for (const by of ["", "gender"]) {
        const params = new URLSearchParams(by ? { by } : {});
        const a = await apiSeries(t.db, s.facilitator.viewer, s.surveyId, indicator, params);
        const b = await apiSeries(t.db, s.facilitator.viewer, copyId, indicator, params);
        expect(a!.points.length).toBeGreaterThan(0);
        expect(b!.points, `${indicator} by ${by || "total"}`).toEqual(a!.points);
      }
  });
});

