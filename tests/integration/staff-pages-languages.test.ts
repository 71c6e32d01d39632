// Every staff page in French and in Arabic, over real HTTP on each database: a facilitator whose
// browser asks for French, then the same facilitator having chosen Arabic on an English browser,
// walks the dashboard, sessions, feedback, survey, links, poster, data, responses, translations,
// new-survey and preview pages, and an administrator the administration pages. No English text of
// any staff catalog is left on them, Arabic pages run right to left, refusals and form errors speak
// the person's language, and the data page tells which tablet and facilitator collected what.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { htmlLanguage, visibleText } from "../support/page-text";
import { englishLeft } from "../support/english-left";
import { sealResponse, type SealingKey } from "../../app/collector/seal";

/** A browser that asks for `acceptLanguage` on every request. */
class Browser extends HttpClient {
  constructor(base: string, private acceptLanguage: string) {
    super(base);
  }
  override request(path: string, init: RequestInit & { origin?: string | null } = {}) {
    const headers = new Headers(init.headers);
    headers.set("Accept-Language", this.acceptLanguage);
    return super.request(path, { ...init, headers });
  }
}

describeEachDatabase("every staff page in French and in Arabic", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let s: Awaited<ReturnType<typeof aPublishedSurvey>>;
  let responseId: string;
  let admin: Awaited<ReturnType<typeof aUser>>;
  const json = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: "246813" });
    admin = await aUser(t.db, "Site Admin", { admin: true });
    // A tablet armed as "Tablet 3" sends a session run by the facilitator with two responses;
    // another, "Tablet 7", a session with no facilitator named and one response.
    const web = new HttpClient(server.url);
    await web.signIn(s.facilitator.email, s.facilitator.password);
    expect((await web.request(`/api/v1/links/${s.link.token}/arming`, json({ deviceName: "Tablet 3" }))).status).toBe(200);
    const session = (id: string, deviceName: string, facilitatorId?: string) => ({
      id,
      heldOn: "2026-03-02",
      groupDescription: "",
      participantCount: 9,
      notes: "",
      updatedAt: "2026-03-02T10:00:00Z",
      deviceName,
      ...(facilitatorId ? { facilitatorId } : {}),
    });
    const [three, seven] = [randomUUID(), randomUUID()];
    const tablet = new HttpClient(server.url);
    const sent = await tablet.request(`/api/v1/links/${s.link.token}/sessions`, json({ sessions: [session(three, "Tablet 3", s.facilitator.id), session(seven, "Tablet 7")] }));
    expect(sent.status).toBe(200);
    const bundle = (await (await fetch(`${server.url}/api/v1/links/${s.link.token}`)).json()) as { sealing: SealingKey };
    const responses = [three, three, seven].map((sessionId) => ({
      id: randomUUID(),
      surveyVersion: 1,
      collectedAt: "2026-03-02T10:30:00.000Z",
      language: "en",
      sessionId,
      answers: sdg16Answers(),
    }));
    responseId = responses[0].id;
    const stored = await tablet.request(`/api/v1/links/${s.link.token}/responses`, json({ responses: responses.map((r) => sealResponse(bundle.sealing, r)) }));
    expect(stored.json().results.map((r: { status: string }) => r.status)).toEqual(["created", "created", "created"]);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  const facilitatorPages = () => {
    const p = `/programmes/${s.programme.id}`;
    const v = `/surveys/${s.surveyId}`;
    return [
      `${p}/dashboard`,
      // The engine's tables, charts and panels: split by group, by community and month, each panel.
      `${p}/dashboard?by=gender`,
      `${p}/dashboard?by=community,gender`,
      `${p}/dashboard?period=month`,
      `${p}/dashboard?view=gap`,
      `${p}/dashboard?view=answers`,
      `${p}/dashboard?view=communities`,
      `${p}/dashboard?g.gender=woman&g.age_band=25_34`,
      `${p}/sessions`,
      `${p}/feedback?survey=${s.surveyId}`,
      `${p}/surveys/new`,
      v,
      `${v}/links`,
      `${v}/links/${s.link.id}/poster`,
      `${v}/data`,
      `${v}/responses`,
      `${v}/responses/${responseId}`,
      `${v}/translations`,
      `${v}/preview`,
    ];
  };

  async function walk(browser: HttpClient, pages: string[], locale: "fr" | "ar") {
    for (const page of pages) {
      const reply = await browser.get(page);
      expect(reply.status, page).toBe(200);
      expect(htmlLanguage(reply.text), page).toEqual({ lang: locale, dir: locale === "ar" ? "rtl" : "ltr" });
      expect(englishLeft(reply.text, locale), page).toEqual([]);
    }
  }

  it("a facilitator whose browser asks for French reads every page in French, errors included", async () => {
    const browser = new Browser(server.url, "fr-ML,fr;q=0.9,en;q=0.5");
    await browser.signIn(s.facilitator.email, s.facilitator.password);
    await walk(browser, facilitatorPages(), "fr");

    const text = async (path: string) => visibleText((await browser.get(path)).text);
    expect(await text(`/programmes/${s.programme.id}/dashboard`)).toContain("Le sentiment de sécurité : Survey Programme");
    expect(await text(`/surveys/${s.surveyId}/links`)).toContain("Tablette de l’animateur (kiosque)");
    expect(await text(`/surveys/${s.surveyId}/responses`)).toContain("Tablette ou lien");

    // A refusal and a form error, both in French.
    const missing = await browser.get(`/surveys/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(visibleText(missing.text)).toContain("Il n’y a pas d’enquête ici, ou vous n’êtes pas membre de son programme.");
    const noReason = await browser.submit(`/surveys/${s.surveyId}/data`, { intent: "exclude-response", responseId, reason: "", note: "" });
    expect(noReason.status).toBe(400);
    expect(visibleText(noReason.text)).toContain("Choisissez un motif.");
  });

  it("the same facilitator chooses Arabic on an English browser: every page runs right to left in Arabic", async () => {
    const browser = new Browser(server.url, "en-GB,en;q=0.9");
    await browser.signIn(s.facilitator.email, s.facilitator.password);
    expect((await browser.submit("/settings", { intent: "language", language: "ar" })).status).toBe(200);
    await walk(browser, facilitatorPages(), "ar");

    // The data page names who collected what: counted responses by tablet and by facilitator.
    const data = visibleText((await browser.get(`/surveys/${s.surveyId}/data`)).text);
    expect(data).toContain("من جمع الإجابات");
    expect(data).toMatch(/حسب الجهاز اللوحي الجهاز اللوحي الجلسات الإجابات المحسوبة Tablet 3 1 2 Tablet 7 1 1/);
    expect(data).toMatch(/حسب الميسّر الميسّر الجلسات الإجابات المحسوبة Survey Facilitator 1 2 غير مسجَّل 1 1/);

    // A form error on the links page, and a refusal, in Arabic.
    const noName = await browser.submit(`/surveys/${s.surveyId}/links`, { intent: "create", mode: "kiosk", label: "", pin: "12" });
    expect(noName.status).toBe(400);
    const errors = visibleText(noName.text);
    expect(errors).toContain("أعطِ الرابط اسمًا");
    expect(errors).toContain("يحتاج رابط الجهاز اللوحي إلى رمز PIN من 6 إلى 8 أرقام");
    const missing = await browser.get(`/programmes/${randomUUID()}/dashboard`);
    expect(missing.status).toBe(404);
    expect(htmlLanguage(missing.text)).toEqual({ lang: "ar", dir: "rtl" });
    expect(visibleText(missing.text)).toContain("لا يوجد برنامج هنا، أو أنك لست عضوًا فيه.");

    await browser.submit("/settings", { intent: "language", language: "" });
    expect(htmlLanguage((await browser.get(`/surveys/${s.surveyId}`)).text).lang).toBe("en");
  });

  it("an administrator reads the administration pages in French and in Arabic", async () => {
    for (const locale of ["fr", "ar"] as const) {
      const browser = new Browser(server.url, locale);
      await browser.signIn(admin.email, admin.password);
      await walk(browser, ["/admin", `/admin/users/${s.facilitator.id}`, "/admin/audit"], locale);
      const taken = await browser.submit("/admin", { intent: "create-user", displayName: "Again", email: s.facilitator.email, password: "a long and unusual sentence here" });
      expect(taken.status).toBe(400);
      expect(visibleText(taken.text)).toContain(locale === "fr" ? "Un compte existe déjà avec cette adresse e-mail." : "يوجد حساب بهذا البريد الإلكتروني بالفعل.");
    }
  });

  it("the first-run page follows the browser before anyone has an account", async () => {
    const empty = await freshDatabase(dialect);
    const first = await startServer(empty);
    try {
      for (const locale of ["fr", "ar"] as const) {
        const browser = new Browser(first.url, locale);
        await walk(browser, ["/setup"], locale);
        const wrong = await browser.submit("/setup", { setupCode: "", displayName: "", email: "x", password: "" });
        expect(wrong.status).toBe(400);
        expect(visibleText(wrong.text)).toContain(locale === "fr" ? "Saisissez le code d’installation" : "أدخل رمز الإعداد");
      }
    } finally {
      await first.close();
      await empty.drop();
    }
  });
});
