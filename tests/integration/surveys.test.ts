// Authoring at the data layer: drafts, publishing, immutable versions, comparability, scope, rounds.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { aProgramme, aUser } from "../support/fixtures";
import {
  createSurvey,
  draftOrLatest,
  getLatestVersion,
  getSurvey,
  getVersion,
  listSurveys,
  publishDraft,
  saveDraft,
} from "../../app/models/surveys.server";
import { createRound, listRounds, RoundNameTakenError } from "../../app/models/rounds.server";
import { getTemplate } from "../../app/survey-templates.server";
import type { SurveyDefinition } from "../../app/survey";

const sdg16 = () => structuredClone(getTemplate("sdg16_core")!.definition);

describeEachDatabase("survey authoring", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
  });
  afterAll(async () => t?.drop());

  it("a facilitator drafts from a template, publishes version 1, and the version can never change", async () => {
    const facilitator = await aUser(t.db, "Hodan Facilitator");
    const p = await aProgramme(t.db, "Garowe", [{ userId: facilitator.id, role: "facilitator" }]);
    const id = await createSurvey(t.db, { programmeId: p.id, definition: sdg16(), createdBy: facilitator.id });
    const draft = (await getSurvey(t.db, facilitator.viewer, id))!;
    expect(draft.latestVersion).toBe(0);
    expect(draft.hasDraft).toBe(true);
    expect(draft.role).toBe("facilitator");
    expect(draft.title).toMatch(/safety/i);

    const published = await publishDraft(t.db, id, facilitator.id);
    expect(published).toEqual({ ok: true, version: 1 });
    const v1 = await getVersion(t.db, id, 1);
    expect(v1?.questions.map((q) => q.id)).toContain("safe_after_dark");
    expect((await getSurvey(t.db, facilitator.viewer, id))!.hasDraft).toBe(false);

    // Not through the app, not through raw SQL: the database itself refuses.
    await expect(
      t.db.updateTable("survey_versions").set({ definition: "{}" }).where("survey_id", "=", id).execute(),
    ).rejects.toThrow(/cannot change/);
    await expect(t.db.deleteFrom("survey_versions").where("survey_id", "=", id).execute()).rejects.toThrow(/cannot/);
    expect((await getVersion(t.db, id, 1))?.questions.length).toBe(v1!.questions.length);
  });

  it("an invalid draft is kept as typed but refused at publishing, with the path", async () => {
    const facilitator = await aUser(t.db, "Author Two");
    const p = await aProgramme(t.db, "Kismayo", [{ userId: facilitator.id, role: "facilitator" }]);
    const broken = sdg16();
    broken.questions[1].label = { en: "Only English" } as SurveyDefinition["questions"][number]["label"];
    const id = await createSurvey(t.db, { programmeId: p.id, definition: broken, createdBy: facilitator.id });
    const result = await publishDraft(t.db, id, facilitator.id);
    expect(result.ok).toBe(false);
    expect("errors" in result && result.errors.map((e) => e.path)).toContain("questions.1.label.fr");
    expect(((await getSurvey(t.db, facilitator.viewer, id))!.draft as SurveyDefinition).questions[1].label).toEqual({ en: "Only English" });
    expect(await getLatestVersion(t.db, id)).toBeUndefined();
  });

  it("version 2 keeps the trend unless an indicator's codes change, which needs confirmation", async () => {
    const facilitator = await aUser(t.db, "Author Three");
    const p = await aProgramme(t.db, "Dadaab", [{ userId: facilitator.id, role: "facilitator" }]);
    const id = await createSurvey(t.db, { programmeId: p.id, definition: sdg16(), createdBy: facilitator.id });
    await publishDraft(t.db, id, facilitator.id);

    const survey = (await getSurvey(t.db, facilitator.viewer, id))!;
    const next = structuredClone((await draftOrLatest(t.db, survey)) as SurveyDefinition);
    next.questions[1].help = { en: "Think of the last month.", fr: "Pensez au dernier mois.", ar: "فكّر في الشهر الماضي." };
    await saveDraft(t.db, id, next, facilitator.id);
    expect(await publishDraft(t.db, id, facilitator.id)).toEqual({ ok: true, version: 2 });

    const breaking = structuredClone((await getVersion(t.db, id, 2))!);
    const official = breaking.indicators.find((i) => i.id === "safe_after_dark_official")!;
    if (official.kind === "share") official.codes = ["1"];
    await saveDraft(t.db, id, breaking, facilitator.id);
    const refused = await publishDraft(t.db, id, facilitator.id);
    expect(refused.ok).toBe(false);
    expect("warnings" in refused && refused.warnings[0].indicatorId).toBe("safe_after_dark_official");
    expect(await publishDraft(t.db, id, facilitator.id, { acceptComparabilityBreaks: true })).toEqual({ ok: true, version: 3 });
    expect((await getSurvey(t.db, facilitator.viewer, id))!.versions.map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it("surveys are seen only by members of their programme", async () => {
    const facilitator = await aUser(t.db, "Member Author");
    const manager = await aUser(t.db, "Member Manager");
    const outsider = await aUser(t.db, "Not A Member");
    const p = await aProgramme(t.db, "Hodan", [
      { userId: facilitator.id, role: "facilitator" },
      { userId: manager.id, role: "manager" },
    ]);
    const id = await createSurvey(t.db, { programmeId: p.id, definition: sdg16(), createdBy: facilitator.id });
    expect((await getSurvey(t.db, manager.viewer, id))?.role).toBe("manager");
    expect(await getSurvey(t.db, outsider.viewer, id)).toBeUndefined();
    expect(await listSurveys(t.db, outsider.viewer)).toEqual([]);
    expect((await listSurveys(t.db, manager.viewer, p.id)).map((s) => s.id)).toEqual([id]);
  });

  it("a programme's rounds are listed in date order and names are unique", async () => {
    const p = await aProgramme(t.db, "Rounds Programme");
    await createRound(t.db, { programmeId: p.id, name: "Endline", kind: "endline", startsOn: "2027-06-01", endsOn: "2027-06-30" });
    await createRound(t.db, { programmeId: p.id, name: "Baseline", kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-01-31" });
    await expect(
      createRound(t.db, { programmeId: p.id, name: "Baseline", kind: "custom", startsOn: "2026-02-01", endsOn: "2026-02-02" }),
    ).rejects.toBeInstanceOf(RoundNameTakenError);
    expect((await listRounds(t.db, p.id)).map((r) => r.name)).toEqual(["Baseline", "Endline"]);
  });
});
