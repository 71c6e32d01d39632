// The staff pages in French and Arabic over real HTTP: the language follows the browser until a
// person chooses one on the settings page (stored on their account), Arabic pages run right to left,
// and the converted pages (frame, sign-in, settings) show no English, errors included.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aProgramme, aPublishedSurvey, aUser } from "../support/fixtures";
import { programmes } from "../../app/i18n/staff/programmes";
import { programme as programmeCatalog } from "../../app/i18n/staff/programme";
import { htmlLanguage, latinWords, visibleText } from "../support/page-text";
import { common } from "../../app/i18n/staff/common";
import { login } from "../../app/i18n/staff/login";
import { settings } from "../../app/i18n/staff/settings";

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

/**
 * English texts of a catalog that read differently in `locale` and are still on the page: phrases
 * anywhere in its text, single words as a whole element's text (a single word may be part of a name).
 */
function englishLeft(html: string, catalog: Record<string, Record<string, string>>, locale: string): string[] {
  const text = visibleText(html);
  const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return Object.entries(catalog.en)
    .filter(([key, en]) => !en.includes("{") && catalog[locale][key] !== en)
    .map(([, en]) => en)
    .filter((en) => (/\s/.test(en) ? text.includes(en) : new RegExp(`>\\s*${escape(en)}\\s*<`).test(html)));
}

describeEachDatabase("staff pages in the facilitators' languages", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    await aUser(t.db, "Someone"); // an installation with an account: /login, not /setup
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("a browser asking for French gets the sign-in page in French, and its errors too", async () => {
    const browser = new Browser(server.url, "fr-ML,fr;q=0.9,en;q=0.5");
    const page = await browser.get("/login");
    expect(page.status).toBe(200);
    expect(htmlLanguage(page.text)).toEqual({ lang: "fr", dir: "ltr" });
    const text = visibleText(page.text);
    expect(text).toContain("Connexion");
    expect(text).toContain("Mot de passe");
    expect(page.text).toContain("<title>Connexion · Enquêtes sur le sentiment de sécurité</title>");
    expect(englishLeft(page.text, login, "fr")).toEqual([]);
    expect(englishLeft(page.text, common, "fr")).toEqual([]);

    const wrong = await browser.submit("/login", { email: "nobody@example.org", password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(visibleText(wrong.text)).toContain("L’adresse e-mail ou le mot de passe n’est pas le bon.");
  });

  it("a browser asking for Arabic gets the sign-in page right to left, with no English", async () => {
    const browser = new Browser(server.url, "ar-JO,ar;q=0.9");
    const page = await browser.get("/login");
    expect(htmlLanguage(page.text)).toEqual({ lang: "ar", dir: "rtl" });
    const text = visibleText(page.text);
    expect(text).toContain("تسجيل الدخول");
    expect(latinWords(text, [])).toEqual([]);
    const missing = await browser.submit("/login", { email: "", password: "" });
    expect(missing.status).toBe(400);
    expect(visibleText(missing.text)).toContain("أدخل بريدك الإلكتروني وكلمة المرور.");
  });

  it("a language no page has falls back to English", async () => {
    const page = await new Browser(server.url, "sw-KE,sw;q=0.9").get("/login");
    expect(htmlLanguage(page.text)).toEqual({ lang: "en", dir: "ltr" });
    expect(visibleText(page.text)).toContain("Sign in");
  });

  it("a facilitator whose browser is English chooses Arabic: every page follows, errors included, until they choose the browser's again", async () => {
    const user = await aUser(t.db, "Amal");
    const browser = new Browser(server.url, "en-GB,en;q=0.9");
    await browser.signIn(user.email, user.password);
    expect(htmlLanguage((await browser.get("/settings")).text)).toEqual({ lang: "en", dir: "ltr" });

    const bad = await browser.submit("/settings", { intent: "language", language: "xx" });
    expect(bad.status).toBe(400);
    expect(visibleText(bad.text)).toContain("Choose one of the languages offered.");
    expect(htmlLanguage((await browser.get("/settings")).text).lang).toBe("en");

    const saved = await browser.submit("/settings", { intent: "language", language: "ar" });
    expect(saved.status).toBe(200);
    expect(visibleText(saved.text)).toContain("تم حفظ اللغة.");

    // A token, so the table's words are on the page too.
    await browser.submit("/settings", { intent: "create-token", name: "Donor", days: "90", scopes: "aggregates" });
    const page = await browser.get("/settings");
    expect(htmlLanguage(page.text)).toEqual({ lang: "ar", dir: "rtl" });
    const text = visibleText(page.text);
    for (const words of ["إعداداتك", "البرامج", "تسجيل الخروج", "رموز الواجهة البرمجية", "90 يومًا", "أرقام مجمّعة"]) expect(text).toContain(words);
    expect(page.text).toContain("<title>إعداداتك · استبيانات الشعور بالأمان</title>");
    // Left in Latin script on purpose: the person's own name and email, the token's name, the
    // header an API caller sends, and each language's name in itself.
    // Code (the token's prefix, the API header and path) is data, not words.
    const words = visibleText(page.text.replace(/<code[^>]*>[\s\S]*?<\/code>/g, " "));
    const allowed = ["Amal", ...user.email.split(/[^A-Za-z]+/), "Donor", "api", "English", "Français"];
    expect(latinWords(words, allowed)).toEqual([]);
    expect(englishLeft(page.text, settings, "ar")).toEqual([]);

    const tooShort = await browser.submit("/settings", { intent: "password", current: user.password, password: "short" });
    expect(tooShort.status).toBe(400);
    expect(visibleText(tooShort.text)).toContain("كلمة المرور قصيرة جدًا: استخدم 12 حرفًا على الأقل");

    // The same account from a French browser still reads Arabic: the choice is the person's.
    const elsewhere = new Browser(server.url, "fr");
    await elsewhere.signIn(user.email, user.password);
    expect(htmlLanguage((await elsewhere.get("/settings")).text).lang).toBe("ar");

    await browser.submit("/settings", { intent: "language", language: "" });
    expect(htmlLanguage((await elsewhere.get("/settings")).text)).toEqual({ lang: "fr", dir: "ltr" });
    const french = (await elsewhere.get("/settings")).text;
    expect(visibleText(french)).toContain("Vos paramètres");
    expect(englishLeft(french, settings, "fr")).toEqual([]);
    expect(englishLeft(french, common, "fr")).toEqual([]);
  });

  it("the programmes list reads in French and in Arabic, counts with each language's plurals", async () => {
    const user = await aUser(t.db, "Moussa");
    await aProgramme(t.db, "Sahel", [{ userId: user.id, role: "facilitator" }]);
    for (const [locale, expected] of [
      ["fr", ["Programmes", "1 communauté", "animateur", "Se déconnecter"]],
      ["ar", ["البرامج", "مجتمع واحد", "ميسّر", "تسجيل الخروج"]],
    ] as const) {
      const browser = new Browser(server.url, locale);
      await browser.signIn(user.email, user.password);
      const page = await browser.get("/");
      expect(htmlLanguage(page.text)).toEqual({ lang: locale, dir: locale === "ar" ? "rtl" : "ltr" });
      const text = visibleText(page.text);
      for (const words of expected) expect(text).toContain(words);
      expect(englishLeft(page.text, programmes, locale)).toEqual([]);
      expect(englishLeft(page.text, common, locale)).toEqual([]);
      // The programme's name and country are what people typed.
      if (locale === "ar") expect(latinWords(text, ["Moussa", "Sahel", "Kenya"])).toEqual([]);
    }
  });

  it("the poster tells respondents to type the address in each of the survey's languages", async () => {
    const s = await aPublishedSurvey(t.db, { mode: "self" });
    const browser = new Browser(server.url, "en");
    await browser.signIn(s.facilitator.email, s.facilitator.password);
    const poster = visibleText((await browser.get(`/surveys/${s.surveyId}/links/${s.link.id}/poster`)).text);
    for (const words of ["Or type this address:", "Ou tapez cette adresse :", "أو اكتب هذا العنوان:"]) expect(poster).toContain(words);
  });

  it("a programme's page reads in Arabic and in French for an administrator, errors included", async () => {
    const s = await aPublishedSurvey(t.db, { mode: "self" });
    const admin = await aUser(t.db, "Admin", { admin: true });
    const page = `/programmes/${s.programme.id}`;
    for (const [locale, expected] of [
      ["ar", ["المجتمعات", "الجولات", "الأشخاص", "ضبط الإفصاح", "إضافة جولة", "خط الأساس", "فتح لوحة المؤشرات", "مفتوح"]],
      ["fr", ["Communautés", "Tours", "Personnes", "Contrôle de la divulgation", "Ajouter un tour", "Situation de référence", "ouverte"]],
    ] as const) {
      const browser = new Browser(server.url, locale);
      await browser.signIn(admin.email, admin.password);
      const reply = await browser.get(page);
      expect(reply.status).toBe(200);
      expect(htmlLanguage(reply.text)).toEqual({ lang: locale, dir: locale === "ar" ? "rtl" : "ltr" });
      const text = visibleText(reply.text);
      for (const words of expected) expect(text).toContain(words);
      expect(englishLeft(reply.text, programmeCatalog, locale)).toEqual([]);
      expect(englishLeft(reply.text, common, locale)).toEqual([]);
      if (locale === "ar") {
        // What people typed (programme, community, round, survey, names and emails), the language
        // codes in the names hint, and UTC stay as they are.
        const typed = ["Survey Programme", "Kenya", "Survey Programme village", "North", s.definition.title.en, "Baseline", s.surveyId.slice(0, 4), "Survey Facilitator", s.facilitator.email, "Admin", admin.email];
        const allowed = typed.flatMap((w: string) => w.split(/[^A-Za-zÀ-ÿ]+/)).concat(["ar", "fr", "so", "UTC"]);
        expect(latinWords(text, allowed)).toEqual([]);
      }
      const taken = await browser.submit(page, { intent: "add-round", name: (await t.db.selectFrom("rounds").select("name").where("id", "=", s.roundId).executeTakeFirstOrThrow()).name, kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-01-31" });
      expect(taken.status).toBe(400);
      expect(visibleText(taken.text)).toContain(locale === "ar" ? "يوجد في هذا البرنامج جولة باسم" : "Ce programme a déjà un tour appelé");
      const low = await browser.submit(page, { intent: "set-min-cell-size", minCellSize: "2" });
      expect(visibleText(low.text)).toContain(locale === "ar" ? "يجب ألا يقل الحد الأدنى لحجم الخلية عن 3" : "La taille minimale des cellules doit être d’au moins 3");
    }
  });
});
