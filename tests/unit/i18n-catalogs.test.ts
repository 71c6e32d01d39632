// The untranslated-keys check: every catalog has every key in every language it promises, with the
// same placeholders, every plural form the language's rules need, and no text left in English.
import { describe, expect, it } from "vitest";
import { placeholders, type Messages } from "../../app/i18n/core";
import { RESPONDENT_WORDS } from "../../app/i18n/respondent";
import { POSTER_WORDS } from "../../app/i18n/poster";
import { FEEDBACK_WORDS } from "../../app/i18n/feedback";
import { STAFF_CATALOGS, STAFF_LOCALES } from "../../app/i18n/staff.server";
import { PANEL_WORDS } from "../../app/collector/panel-words";

/** Texts that are rightly the same as English in a language (names, codes, shared words). */
const SAME_AS_ENGLISH: Record<string, string[]> = {
  fr: ["Programmes", "Administration", "Action", "Question {n} sur {total}", "Code", "Version {n}", "Version", "Exclusions", "{n} s", "{n} min", "CSV, {encoding}", "CSV, {encoding}, {delimiter}", "{question} — option {code}", "Date", "Participants", "Notes", "Note", "Programme", "Source", "Pages", "{name} · Administration", "Questions", "Question", "Type", "Condition", "Description", "Message", "n", "{label} (%)", "n = {n}", "{change} ({note})", "{n, plural, one {{signed} point} other {{signed} points}}"],
  ar: ["{value}%", "{label} (%)", "{label} ({code}): {count}", "{change} ({note})"],
  so: [],
  sw: [],
};

const CATALOGS: { name: string; tables: Record<string, Messages>; locales: readonly string[] }[] = [
  { name: "respondent", tables: RESPONDENT_WORDS, locales: ["fr", "ar", "so", "sw"] },
  { name: "poster", tables: POSTER_WORDS, locales: ["fr", "ar", "so", "sw"] },
  { name: "feedback", tables: FEEDBACK_WORDS, locales: ["fr", "ar", "so", "sw"] },
  { name: "facilitator panel", tables: PANEL_WORDS, locales: ["fr", "ar"] },
  ...Object.entries(STAFF_CATALOGS).map(([name, tables]) => ({ name: `staff/${name}`, tables, locales: STAFF_LOCALES.filter((l) => l !== "en") })),
];

/** Each plural argument's branch names: "{n, plural, one {…} other {…}}" → ["one", "other"]. */
function pluralBranches(text: string): string[][] {
  const out: string[][] = [];
  for (const m of text.matchAll(/\{\s*\w+\s*,\s*plural\s*,/g)) {
    const rest = text.slice(m.index! + m[0].length);
    const names: string[] = [];
    let depth = 0;
    for (const hit of rest.matchAll(/(=\d+|zero|one|two|few|many|other)\s*\{|\{|\}/g)) {
      if (hit[0] === "}") {
        if (depth === 0) break;
        depth--;
      } else {
        if (depth === 0 && hit[1]) names.push(hit[1]);
        depth++;
      }
    }
    out.push(names);
  }
  return out;
}

describe("no untranslated keys", () => {
  for (const { name, tables, locales } of CATALOGS) {
    describe(name, () => {
      const en = tables.en;
      for (const locale of locales) {
        it(`${locale} has every key, the same placeholders, and no English left`, () => {
          const table = tables[locale];
          expect(table, `${name} has no ${locale} table`).toBeDefined();
          const missing = Object.keys(en).filter((k) => !(k in table) || table[k].trim() === "");
          const extra = Object.keys(table).filter((k) => !(k in en));
          const untranslated = Object.keys(en).filter((k) => table[k] === en[k] && !SAME_AS_ENGLISH[locale].includes(en[k]));
          const wrongPlaceholders = Object.keys(en).filter((k) => k in table && placeholders(table[k]).join() !== placeholders(en[k]).join());
          expect({ missing, extra, untranslated, wrongPlaceholders }).toEqual({ missing: [], extra: [], untranslated: [], wrongPlaceholders: [] });
        });

        it(`${locale}'s plurals have every form its rules need`, () => {
          const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
          for (const [key, text] of Object.entries(tables[locale])) {
            for (const branches of pluralBranches(text)) {
              expect(branches, `${name}.${key} (${locale})`).toEqual(expect.arrayContaining([...needed].filter((c) => c !== "many" || locale !== "fr")));
            }
          }
        });
      }
    });
  }

  it("the check itself finds a missing key, a stray English text and a lost placeholder", () => {
    const en = { a: "Hello {name}", b: "Bye" };
    const fr = { a: "Bonjour", b: "Bye" } as Messages;
    expect(placeholders(fr.a)).not.toEqual(placeholders(en.a));
    expect(Object.keys(en).filter((k) => fr[k] === en[k as keyof typeof en])).toEqual(["b"]);
    expect(pluralBranches("{n, plural, one {# x} other {# {y} xs}}")).toEqual([["one", "other"]]);
  });
});
