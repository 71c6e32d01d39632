// The tracking page and the report in French and Arabic: a manager whose pages are in French (or
// Arabic) reads no sentence of the English catalogs on either page, the table's status words and
// verdicts included, while an English-speaking manager reads the English ones.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { setMembership } from "../../app/models/programmes.server";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";
import { setStoredLanguage } from "../../app/i18n/staff.server";
import { placeholders } from "../../app/i18n/core";
import { tracking } from "../../app/i18n/staff/tracking";
import { report } from "../../app/i18n/staff/report";

/** The fixed words of a message (between its placeholders), long enough to be a phrase of its own. */
function phrases(message: string): string[] {
  let text = message;
  for (const p of placeholders(message)) text = text.split(`{${p}}`).join("\u0000");
  return text
    .split("\u0000")
    .map((s) => s.trim().replace(/^[,.:;·()]+|[,.:;·()]+$/g, "").trim())
    .filter((s) => s.length >= 12);
}

const decode = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/<!-- -->/g, "");

describeEachDatabase("the tracking page and report in French and Arabic", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  const managers: Record<"en" | "fr" | "ar", HttpClient> = {} as never;

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db);
    for (const locale of ["en", "fr", "ar"] as const) {
      const m = await aUser(t.db, `Manager ${locale}`);
      await setMembership(t.db, { programmeId: fixture.programme.id, userId: m.id, role: "manager" });
      if (locale !== "en") await setStoredLanguage(t.db, m.id, locale);
      managers[locale] = new HttpClient(server.url);
      await managers[locale].signIn(m.email, m.password);
    }
    const link = (await resolveLink(t.db, fixture.link.token))!;
    const items = Array.from({ length: 12 }, (_, i) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-03-10T09:00:00.000Z", language: "en", answers: sdg16Answers({ safe_after_dark: i < 5 ? "2" : "3" }) }));
    expect((await ingestResponses(t.db, link, items)).every((r) => r.status === "created")).toBe(true);
    // A target, so the table shows a status other than "not enough data" too.
    expect((await managers.en.submit(`/programmes/${fixture.programme.id}/tracking?survey=${fixture.surveyId}`, { survey: fixture.surveyId, indicator: "safe_daytime", baseline: "", [`target.${fixture.roundId}`]: "90" })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  for (const locale of ["fr", "ar"] as const) {
    it(`in ${locale}, no English phrase of the tracking or report words is left on either page`, async () => {
      const english = [...Object.entries(tracking.en), ...Object.entries(report.en)]
        .filter(([k, v]) => (k in tracking.en ? tracking[locale][k as keyof typeof tracking.en] : report[locale][k as keyof typeof report.en]) !== v)
        .flatMap(([, v]) => phrases(v));
      expect(english.length).toBeGreaterThan(40);
      for (const path of [`/programmes/${fixture.programme.id}/tracking?survey=${fixture.surveyId}`, `/programmes/${fixture.programme.id}/report?survey=${fixture.surveyId}`]) {
        const page = await managers[locale].get(path);
        expect(page.status).toBe(200);
        // The visible page, not the words the loader hands to the browser in its JSON; texts still
        // built in English on the server (method notes, reference sheets, data source) say lang="en".
        const body = decode(page.text.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<(\w+)\b[^>]*\blang="en"[^>]*>[\s\S]*?<\/\1>/g, ""));
        expect(english.filter((p) => body.includes(p)), path).toEqual([]);
        expect(body).toContain(locale === "fr" ? tracking.fr.colChange : tracking.ar.colChange);
      }
    });
  }

  it("in English, the same pages read the English words", async () => {
    const body = decode((await managers.en.get(`/programmes/${fixture.programme.id}/tracking?survey=${fixture.surveyId}`)).text);
    expect(body).toContain("How the status is decided");
    expect(body).toContain("not on track");
  });
});
