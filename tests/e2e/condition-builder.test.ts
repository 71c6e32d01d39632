// In Chromium: a facilitator builds, with plain controls only, "show when age is at least 18", "show
// when more than one threat is chosen" and a rule on age with its message in English and French;
// publishes; and respondents on a community link are held to them: the French respondent reads
// the French message, the question for adults stays hidden at 17, the follow-up appears only after
// two threats. Then the editor in French and in Arabic (right to left) with no English left.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { TABLET, launchChromium, PHONE } from "../support/browser";
import { hasChromium } from "../support/environment";
import { screenshotThreeSizes } from "../support/screenshots";
import { aLink, aProgramme, aUser } from "../support/fixtures";
import { seriousViolations } from "../support/axe";
import { byId, signInAs, waitForSaved } from "../support/ui";
import { latinWords } from "../support/page-text";
import { createSurvey, getVersion, saveDraft } from "../../app/models/surveys.server";
import { createRound } from "../../app/models/rounds.server";
import type { SurveyDefinition } from "../../app/survey";


const both = (en: string, fr: string) => ({ en, fr });
const opt = (code: string, en: string, fr: string) => ({ code, label: both(en, fr) });

/** A short household form in English and French, with no logic yet: the facilitator adds it. */
function householdForm(): SurveyDefinition {
  return {
    title: both("Household safety", "Sécurité des ménages"),
    languages: [
      { code: "en", name: "English", direction: "ltr" },
      { code: "fr", name: "Français", direction: "ltr" },
    ],
    defaultLanguage: "en",
    consent: both("This survey is anonymous. Do you agree to answer?", "Cette enquête est anonyme. Acceptez-vous de répondre ?"),
    questions: [
      { id: "age", type: "number", label: both("How old are you?", "Quel âge avez-vous ?"), min: 0, max: 120, integer: true, required: true },
      { id: "vote", type: "single", label: both("Did you vote in the last local election?", "Avez-vous voté aux dernières élections locales ?"), options: [opt("1", "Yes", "Oui"), opt("2", "No", "Non")] },
      {
        id: "threats",
        type: "multiple",
        label: both("What makes you feel unsafe?", "Qu’est-ce qui vous fait vous sentir en insécurité ?"),
        options: [opt("theft", "Theft", "Vol"), opt("violence", "Violence", "Violence physique"), opt("harassment", "Harassment", "Harcèlement")],
        required: true,
      },
      { id: "worst", type: "single", label: both("Which worries you most?", "Qu’est-ce qui vous inquiète le plus ?"), options: [opt("theft", "Theft", "Vol"), opt("violence", "Violence", "Violence physique"), opt("harassment", "Harassment", "Harcèlement")] },
    ],
    indicators: [],
  };
}

describe.skipIf(!hasChromium())("a facilitator builds numeric and count conditions and a rule with a message", () => {
  let t: TestDb;
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    server = await startServer(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.drop();
  });

  async function aDraft() {
    const facilitator = await aUser(t.db, "Amina Facilitator");
    const programme = await aProgramme(t.db, "Diffa Safety", [{ userId: facilitator.id, role: "facilitator" }]);
    const surveyId = await createSurvey(t.db, { programmeId: programme.id, definition: householdForm(), createdBy: facilitator.id });
    return { facilitator, programme, surveyId };
  }

  const questionItem = (page: Page, index: number) => page.locator(".question-list > li").nth(index);
  const open = async (page: Page, index: number) => {
    await questionItem(page, index).locator("summary").click();
    await questionItem(page, index).locator(".question-editor").waitFor();
  };

  /** Walks a respondent on a community link: returns the question headings seen, in order. */
  async function respond(link: string, language: "English" | "Français", age: string[], picks: string[]): Promise<{ seen: string[]; messages: string[] }> {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(link);
    await page.locator(".rf-screen--language").waitFor();
    await page.getByRole("button", { name: language, exact: true }).click();
    await page.locator(".rf-consent-actions .rf-button--primary").click();
    const seen: string[] = [];
    const messages: string[] = [];
    for (let i = 0; i < 10; i++) {
      const screen = page.locator(".rf-screen--question, .rf-screen--done").first();
      await screen.waitFor();
      if (await page.locator(".rf-screen--done").isVisible()) break;
      const title = (await page.locator(".rf-title").first().innerText()).trim();
      seen.push(title);
      const q = page.locator(".rf-screen--question");
      if (await q.locator(".rf-number-input").count()) {
        for (const [k, a] of age.entries()) {
          await q.locator(".rf-number-input").fill(a);
          await q.locator(".rf-button--next").click();
          if (k < age.length - 1) {
            await q.locator(".rf-error").waitFor();
            messages.push((await q.locator(".rf-error").innerText()).replace(/^⚠\s*/, ""));
          }
        }
      } else {
        const options = q.locator(".rf-option");
        if (await page.locator(".rf-screen--question.rf-type--multiple").count()) {
          for (const p of picks) await options.filter({ hasText: p }).first().click();
        } else await options.first().click();
        await q.locator(".rf-button--next").click();
      }
      await page.waitForFunction((before) => document.querySelector(".rf-title")?.textContent?.trim() !== before || !!document.querySelector(".rf-screen--done"), title);
    }
    await page.locator(".rf-screen--done").waitFor();
    await context.close();
    return { seen, messages };
  }

  it("builds them with plain controls, publishes, and the preview and respondents honour them", { timeout: 240_000 }, async () => {
    const { facilitator, programme, surveyId } = await aDraft();
    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await signInAs(page, server.url, facilitator.email, facilitator.password);
    await page.goto(`${server.url}/surveys/${surveyId}/edit`);

    // "Did you vote…" only for those 18 or older: question, operator and number, no expression typed.
    await open(page, 1);
    const vote = questionItem(page, 1);
    await vote.getByRole("button", { name: "Show only if…" }).click();
    await vote.getByLabel("Earlier question").selectOption("age");
    const voteOps = await vote.getByLabel("Condition", { exact: true }).locator("option").allInnerTexts();
    expect(voteOps).toEqual(["is at least", "is more than", "is at most", "is less than", "equals", "does not equal", "is answered", "is not answered"]);
    await vote.getByLabel("Condition", { exact: true }).selectOption({ label: "is at least" });
    // A value that is not a number is named at the field, in words.
    await vote.getByLabel("Number").fill("eighteen");
    await expect.poll(() => vote.locator(".condition-row [role=alert]").innerText()).toBe("Type a number to compare with.");
    await vote.getByLabel("Number").fill("18");
    await expect.poll(() => vote.locator(".condition-row [role=alert]").count()).toBe(0);
    await expect.poll(() => vote.locator(".expression").innerText()).toBe("${age} >= 18");

    // "Which worries you most?" only when more than one threat is chosen.
    await open(page, 3);
    const worst = questionItem(page, 3);
    await worst.getByRole("button", { name: "Show only if…" }).click();
    await worst.getByLabel("Earlier question").selectOption({ label: "Number of options chosen in threats" });
    await worst.getByLabel("Condition", { exact: true }).selectOption({ label: "is more than" });
    await worst.getByLabel("Number").fill("1");
    await expect.poll(() => worst.locator(".expression").innerText()).toBe("count-selected(${threats}) > 1");
    // The new controls are tap-sized at tablet width.
    for (const control of [worst.getByLabel("Earlier question"), worst.getByLabel("Condition", { exact: true }), worst.getByLabel("Number"), worst.getByRole("button", { name: "Remove condition 1" })]) {
      const box = (await control.boundingBox())!;
      expect(Math.min(box.height, box.width)).toBeGreaterThanOrEqual(44);
    }
    await screenshotThreeSizes(page, "condition-builder", () => worst);

    // A rule on age, its message in both languages.
    await open(page, 0);
    const age = questionItem(page, 0);
    await age.getByRole("button", { name: "Set a rule for the answer" }).click();
    await age.locator(".constraint-editor").getByLabel("Condition", { exact: true }).selectOption({ label: "is at least" });
    await age.locator(".constraint-editor").getByLabel("Number").fill("10");
    // Until the message is written in both languages, publishing names what is missing.
    await expect.poll(() => page.locator(".publish .problems").innerText()).toContain("Question 1 (age) › Rule for the answer › Message › English: No English text yet.");
    await byId(page, "fld-questions.0.constraint.message.en").fill("Respondents must be 10 or older.");
    await byId(page, "fld-questions.0.constraint.message.fr").fill("Les répondants doivent avoir 10 ans ou plus.");
    await waitForSaved(page);
    await expect.poll(() => page.locator(".publish").textContent()).toContain("complete and valid");
    expect(await seriousViolations(page)).toEqual([]);

    const addRule = (await age.getByRole("button", { name: "Add to the rule" }).boundingBox())!;
    expect(addRule.height).toBeGreaterThanOrEqual(44);
    await screenshotThreeSizes(page, "constraint-editor", () => age);

    // The editor's tablet preview runs the same rule: 7 is held back with the message.
    const frame = page.locator(".device-frame");
    await frame.locator(".rf-number-input").fill("7");
    await frame.locator(".rf-button--next").click();
    await expect.poll(() => frame.locator(".rf-error").innerText()).toContain("Respondents must be 10 or older.");

    // Published: the stored version holds exactly the conditions built.
    await page.getByRole("button", { name: "Publish version 1" }).click();
    await page.waitForURL(new RegExp(`/surveys/${surveyId}\\?published=1`));
    const v1 = (await getVersion(t.db, surveyId, 1))!;
    expect(v1.questions[1].showIf).toEqual({ op: "compare", question: "age", cmp: ">=", value: 18 });
    expect(v1.questions[3].showIf).toEqual({ op: "countSelected", question: "threats", cmp: ">", value: 1 });
    expect(v1.questions[0].constraint).toEqual({
      check: { op: "compare", question: ".", cmp: ">=", value: 10 },
      message: { en: "Respondents must be 10 or older.", fr: "Les répondants doivent avoir 10 ans ou plus." },
    });
    await context.close();

    // Respondents on their own phones.
    const roundId = await createRound(t.db, { programmeId: programme.id, name: "Baseline", kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-12-31" });
    const link = await aLink(t.db, { surveyId, mode: "self", label: "Market poster", communityId: programme.communityId, roundId, maxResponses: null, pin: null, createdBy: facilitator.id });
    const url = `${server.url}/c/${link.token}`;

    // In French, 7 is refused with the French message; at 17 the voting question never shows;
    // one threat chosen, so the follow-up does not either.
    const young = await respond(url, "Français", ["7", "17"], ["Vol"]);
    expect(young.messages).toEqual(["Les répondants doivent avoir 10 ans ou plus."]);
    expect(young.seen).toEqual(["Quel âge avez-vous ?", "Qu’est-ce qui vous fait vous sentir en insécurité ?"]);

    // At 30 with two threats, both questions show.
    const adult = await respond(url, "English", ["30"], ["Theft", "Harassment"]);
    expect(adult.seen).toEqual(["How old are you?", "Did you vote in the last local election?", "What makes you feel unsafe?", "Which worries you most?"]);

    // The server kept what each saw and no more.
    const stored = await t.db.selectFrom("responses").select("answers").where("survey_id", "=", surveyId).execute();
    const answers = stored.map((r) => JSON.parse(r.answers)).sort((a, b) => a.age - b.age);
    expect(answers[0]).toEqual({ age: 17, threats: ["theft"] });
    expect(answers[1]).toMatchObject({ age: 30, vote: "1", threats: ["theft", "harassment"], worst: "theft" });
  });

  it("the editor reads in French, and in Arabic right to left, with no English left", { timeout: 180_000 }, async () => {
    const { facilitator, surveyId } = await aDraft();
    // A condition of each kind and a rule, so the builders show in the languages too.
    const def = householdForm();
    def.questions[1].showIf = { op: "compare", question: "age", cmp: ">=", value: 18 };
    def.questions[3].showIf = { op: "all", conditions: [{ op: "countSelected", question: "threats", cmp: ">", value: 1 }, { op: "not", condition: { op: "equals", question: "vote", value: "2" } }] };
    def.questions[0].constraint = { check: { op: "compare", question: ".", cmp: ">=", value: 10 }, message: { en: "Respondents must be 10 or older.", fr: "" } };
    await saveDraft(t.db, surveyId, def, facilitator.id);
    const ids = def.questions.map((q) => q.id);

    for (const locale of ["fr", "ar"] as const) {
      const context = await browser.newContext({ viewport: TABLET, locale });
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel(locale === "ar" ? "البريد الإلكتروني" : "Adresse e-mail").fill(facilitator.email);
      await page.getByLabel(locale === "ar" ? "كلمة المرور" : "Mot de passe").fill(facilitator.password);
      await page.getByRole("button", { name: locale === "ar" ? "تسجيل الدخول" : "Se connecter" }).click();
      await page.waitForURL((u) => u.pathname !== "/login");
      await page.goto(`${server.url}/surveys/${surveyId}/edit`);
      await page.locator(`html[lang="${locale}"][dir="${locale === "ar" ? "rtl" : "ltr"}"]`).waitFor();
      for (const i of [0, 1, 2, 3]) await open(page, i);
      const heading = locale === "ar" ? "تعديل الاستبيان" : "Modifier l’enquête";
      await page.getByRole("heading", { name: heading }).waitFor();
      // The rule's French message is missing: the publish warning says so, by language, in the staff language.
      const gaps = page.locator(".gap-list li[data-language=fr]");
      await expect.poll(() => gaps.innerText()).toContain(locale === "ar" ? "نص واحد ناقص" : "1 texte manquant");

      // Every word of the editor's own, minus the survey's texts (marked with their language),
      // ids and codes (marked translate=no), and the tablet preview (the respondent's language).
      const text = await page.locator("main").evaluate((main) => {
        const clone = main.cloneNode(true) as HTMLElement;
        clone.querySelectorAll(`.device-frame, script, datalist, [translate=no], [lang]:not([lang="${document.documentElement.lang}"])`).forEach((n) => n.remove());
        const attrs = [...clone.querySelectorAll("[aria-label], [placeholder], [title]")].flatMap((n) => ["aria-label", "placeholder", "title"].map((a) => n.getAttribute(a) ?? ""));
        return [clone.textContent ?? "", ...attrs].join(" ");
      });
      const english = latinWords(text, [...ids, "XLSForm", "English", "Français", "en", "fr", "Programmes", "Question", "Questions", "Type", "Code", "Option", "Condition", "Description", "Message", "Diffa", "Safety", "Household", "Edition", "Soomaali", "Oromo", "ckb"]);
      // The builders and the rule are in what was read, in the page's language.
      for (const phrase of locale === "ar" ? ["إظهار هذا السؤال", "قاعدة الإجابة", "عدد الخيارات المختارة في threats", "لا يقل عن"] : ["Afficher cette question", "Règle pour la réponse", "Nombre d’options choisies dans threats", "est au moins"])
        expect(text).toContain(phrase);
      if (locale === "fr") {
        // French shares words with English; look for English ones instead.
        expect(text).not.toMatch(/\b(Show|Add|Remove|Publish|Preview|missing|Number of|is at least|Only if|Rule|Languages|Title|Answer)\b/);
      } else expect(english).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      if (locale === "ar") {
        expect(await page.locator("main .editor").evaluate((el) => getComputedStyle(el).direction)).toBe("rtl");
        await screenshotThreeSizes(page, "editor-ar");
        await screenshotThreeSizes(page, "condition-builder-ar", () => questionItem(page, 3));
        await screenshotThreeSizes(page, "editor-ar-publish", () => page.locator(".publish"));
      } else await screenshotThreeSizes(page, "editor-fr", () => questionItem(page, 3));
      await context.close();
    }
  });
});
