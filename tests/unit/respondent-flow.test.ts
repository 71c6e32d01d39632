// The respondent flow's first render (what the server sends before hydration): language chooser,
// consent, question screens reached by a preview jump, right-to-left layout, and the UI strings.
import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { SurveyDefinition } from "../../app/survey/definition";
import { RespondentFlow, type RespondentFlowProps } from "../../app/ui/respondent/RespondentFlow";
import { RESPONDENT_WORDS as UI_STRINGS, fill, respondentWords as uiStrings } from "../../app/i18n/respondent";

const format = (t: string, v: Record<string, string | number>) => fill(t, v, "en");

const template = (file: string): SurveyDefinition =>
  JSON.parse(fs.readFileSync(path.resolve("survey-templates", file), "utf8")) as SurveyDefinition;

const render = (props: Partial<RespondentFlowProps> & { definition: SurveyDefinition }) =>
  renderToStaticMarkup(createElement(RespondentFlow, { mode: "kiosk", ...props }));

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The opening tag of the flow's root element. */
const rootTag = (html: string) => /^<div class="rf [^>]*>/.exec(html)?.[0] ?? "";

/** A one-language survey with the question types the templates do not use. */
function small(): SurveyDefinition {
  return {
    title: { en: "Small survey" },
    languages: [{ code: "en", name: "English", direction: "ltr" }],
    defaultLanguage: "en",
    consent: { en: "Do you agree?" },
    questions: [
      { id: "household", type: "number", label: { en: "How many people live with you?" }, min: 1, max: 30, integer: true, required: true },
      { id: "comment", type: "text", label: { en: "<img src=x onerror=alert(1)> Anything else?" } },
      {
        id: "where",
        type: "multiple",
        label: { en: "Where?" },
        options: [
          { code: "market", label: { en: "Market" } },
          { code: "road", label: { en: "Road" } },
        ],
      },
    ],
    indicators: [],
  };
}

describe("language chooser", () => {
  const html = render({ definition: template("community-security.json") });

  it("lists every language by its own name, each button in its own language and direction", () => {
    expect(html).toContain("العربية");
    expect(html).toContain("Français");
    expect(html).toMatch(/<button[^>]*lang="ar" dir="rtl"[^>]*>العربية<\/button>/);
    expect(html).toMatch(/<button[^>]*lang="fr" dir="ltr"[^>]*>Français<\/button>/);
    expect(html).toContain("Choose your language");
    expect(html).toMatch(/<p class="rf-subtitle" lang="ar" dir="rtl">اختر لغتك<\/p>/);
  });

  it("starts in the default language, left to right", () => {
    expect(rootTag(html)).toContain('dir="ltr"');
    expect(rootTag(html)).toContain('lang="en"');
  });

  it("is skipped for a preset language and for one-language surveys", () => {
    expect(render({ definition: template("community-security.json"), language: "fr" })).not.toContain("Choose your language");
    const one = render({ definition: small() });
    expect(one).not.toContain("Choose your language");
    expect(one).toContain("Do you agree?");
  });

  it("can be jumped to by the preview even with a preset language", () => {
    expect(render({ definition: template("community-security.json"), language: "fr", startAt: "language", mode: "preview" })).toContain(
      "Choisissez votre langue",
    );
  });
});

describe("consent", () => {
  it("shows the consent text and both answers in Arabic, right to left", () => {
    const def = template("community-security.json");
    const html = render({ definition: def, language: "ar" });
    expect(rootTag(html)).toContain('dir="rtl"');
    expect(rootTag(html)).toContain('lang="ar"');
    expect(html).toContain(def.consent.ar.slice(0, 40));
    expect(html).toContain(">أوافق<");
    expect(html).toContain(">لا أوافق<");
    expect(html).not.toContain(def.consent.en.slice(0, 40));
  });

  it("shows the header above the screen", () => {
    const html = render({
      definition: template("sdg16-core.json"),
      language: "en",
      header: createElement("div", { className: "kiosk-bar" }, "Tablet 3 · 2 waiting"),
    });
    expect(html).toMatch(/<div class="rf-header"><div class="kiosk-bar">Tablet 3 · 2 waiting<\/div><\/div>/);
    expect(html).toContain("I agree");
  });
});

describe("question screens", () => {
  it("shows a scale question with large faces, pressable options and the visible-question count", () => {
    const def = template("community-security.json");
    const html = render({ definition: def, language: "en", startAt: { question: "safe_market" }, mode: "preview" });
    const q = def.questions.find((x) => x.id === "safe_market")!;
    expect(html).toMatch(new RegExp(`<h2 class="rf-title rf-question" id="[^"]+" tabindex="-1">${escapeRegExp(q.label.en)}</h2>`));
    expect(html).toContain("rf-options--scale");
    expect(html).toContain('<span class="rf-face" aria-hidden="true">😀</span>');
    expect(html).toContain('aria-pressed="false"');
    // top_threats is question 1, the info screen is not counted; 16 questions, one of them info.
    expect(html).toContain("Question 2 of 15");
    expect(html).toContain(">Back<");
    expect(html).toContain(">Next<");
  });

  it("counts only visible questions: a hidden branch is not in the total", () => {
    const def = template("sdg16-core.json");
    // report_to is shown only to those who would report a crime: 9 questions, one info, one hidden.
    const html = render({ definition: def, language: "en", startAt: { question: "safe_after_dark" } });
    expect(html).toContain("Question 1 of 8");
  });

  it("explains ranking in the respondent's language and right to left", () => {
    const def = template("community-security.json");
    const html = render({ definition: def, language: "ar", startAt: { question: "top_threats" } });
    expect(rootTag(html)).toContain('dir="rtl"');
    expect(html).toContain(def.questions[0].label.ar);
    expect(html).toContain("rf-options--ranking");
    expect(html).toContain(format(uiStrings("ar").rankHint, { max: new Intl.NumberFormat("ar").format(3) }));
    expect(html).toContain(">السابق<");
  });

  it("shows an info screen with no answer and no question number", () => {
    const html = render({ definition: template("community-security.json"), language: "fr", startAt: { question: "places_intro" } });
    expect(html).not.toContain("rf-options");
    expect(html).not.toContain("Question ");
    expect(html).toContain("Suivant");
  });

  it("gives number questions steppers and the allowed range", () => {
    const html = render({ definition: small(), startAt: { question: "household" } });
    expect(html).toContain('inputMode="numeric"');
    expect(html).toContain('aria-label="Less"');
    expect(html).toContain('aria-label="More"');
    expect(html).toContain("Enter a number from 1 to 30.");
  });

  it("renders text as text, never as HTML", () => {
    const html = render({ definition: small(), startAt: { question: "comment" } });
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; Anything else?");
    expect(html).toContain("<textarea");
    expect(html).toContain("Please do not write any names");
  });

  it("ends on Submit on the last visible question, with toggle buttons for multiple choice", () => {
    const html = render({ definition: small(), startAt: { question: "where" } });
    expect(html).toContain("Choose all that apply.");
    expect(html.match(/aria-pressed="false"/g)).toHaveLength(2);
    expect(html).toContain(">Submit<");
  });

  it("falls back to the start for a jump to an unknown question", () => {
    expect(render({ definition: small(), startAt: { question: "nope" } })).toContain("Do you agree?");
  });

  it("offers no read-aloud button before the device's voices are known", () => {
    expect(render({ definition: small(), startAt: { question: "where" } })).not.toContain("Read aloud");
  });
});

describe("UI strings", () => {
  it("has the same keys in every language as in English", () => {
    const keys = Object.keys(UI_STRINGS.en).sort();
    for (const lang of ["fr", "ar", "so", "sw"]) expect(Object.keys(UI_STRINGS[lang]).sort()).toEqual(keys);
  });

  it("matches by primary language subtag and falls back to English", () => {
    expect(uiStrings("ar-JO").next).toBe("التالي");
    expect(uiStrings("sw_KE").submit).toBe("Tuma");
    expect(uiStrings("ne").next).toBe("Next");
  });

  it("fills placeholders", () => {
    expect(format(uiStrings("fr").questionOf, { n: 3, total: 12 })).toBe("Question 3 sur 12");
  });
});

describe("bundle", () => {
  it("imports only the survey logic and validation, not the whole core", () => {
    const source = fs.readFileSync(path.resolve("app/ui/respondent/RespondentFlow.tsx"), "utf8");
    const imports = [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(imports.filter((i) => i.includes("survey"))).toEqual(["../../survey/definition", "../../survey/logic", "../../survey/sections", "../../survey/validate"]);
    expect(source).toMatch(/import type \{[^}]*\} from "..\/..\/survey\/definition"/);
    expect(source).not.toContain("dangerouslySetInnerHTML");
  });
});

describe("sections and fallback marks", () => {
  /** A field-list section, a question in a headed section with one option untranslated into Somali. */
  function sectioned(): SurveyDefinition {
    const both = (en: string, so: string) => ({ en, so });
    return {
      title: both("Market safety", "Nabadgelyada suuqa"),
      languages: [
        { code: "en", name: "English", direction: "ltr" },
        { code: "so", name: "Soomaali", direction: "ltr" },
      ],
      defaultLanguage: "en",
      consent: { en: "Do you agree?" },
      sections: [
        { id: "about", label: both("About you", "Adiga"), fieldList: true },
        { id: "market", label: { en: "At the market" } },
      ],
      questions: [
        { id: "age", type: "number", label: both("Age", "Da'da"), section: "about" },
        { id: "sex", type: "single", label: both("Sex", "Jinsi"), options: [{ code: "f", label: both("Woman", "Naag") }, { code: "m", label: both("Man", "Nin") }], section: "about" },
        { id: "work", type: "text", label: both("Your work", "Shaqadaada"), section: "about", showIf: { op: "compare", question: "age", cmp: ">=", value: 18 } },
        { id: "safe", type: "single", label: both("Safe?", "Ammaan?"), help: { en: "Think of last week." }, options: [{ code: "1", label: both("Yes", "Haa") }, { code: "0", label: { en: "No" } }], section: "market" },
      ],
      indicators: [],
    };
  }

  it("shows a field-list section's visible questions together under the section's heading", () => {
    const html = render({ definition: sectioned(), language: "so", startAt: { question: "sex" } });
    expect(html).toContain('class="rf-screen rf-screen--question rf-screen--fields"');
    expect(html).toMatch(/<h1 class="rf-section-title"[^>]*>Adiga<\/h1>/);
    expect([...html.matchAll(/<h2 class="rf-field-title"[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual(["Da&#x27;da", "Jinsi"]);
    // The hidden third question is neither shown nor counted: two on this screen, of three in all.
    expect(html).toContain('<p class="rf-count">Su&#x27;aasha 1–2 ee 3</p>');
  });

  it("marks each text shown in English where it stands: the heading, the hint and the one option", () => {
    const html = render({ definition: sectioned(), language: "so", startAt: { question: "safe" } });
    expect(html).toMatch(/<h1 class="rf-section-title" lang="en">At the market<\/h1><span class="rf-fallback rf-fallback--inline" lang="en" dir="ltr">English<\/span>/);
    expect(html).toMatch(/<h2 class="rf-title rf-question"[^>]*>Ammaan\?<\/h2>(?!<p class="rf-fallback)/);
    expect(html).toMatch(/<div class="rf-help"[^>]*lang="en"><p>Think of last week\.<\/p><span class="rf-fallback rf-fallback--inline"/);
    const options = [...html.matchAll(/<button type="button" class="rf-option"[^>]*>(.*?)<\/button>/g)].map((m) => m[1]);
    expect(options.map((o) => o.includes("rf-fallback"))).toEqual([false, true]);
    expect(options[1]).toContain('<span class="rf-option-label" lang="en">No</span>');
  });

  it("shows no marks in the default language", () => {
    expect(render({ definition: sectioned(), language: "en", startAt: { question: "safe" } })).not.toContain("rf-fallback");
  });
});
