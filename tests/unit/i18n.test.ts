// The message layer: Arabic's six plural forms, French's "one" for 0 and 1, numbers and digits per
// locale, placeholders, and fallbacks to English.
import { describe, expect, it } from "vitest";
import { directionOf, formatMessage, formatNumber, pickLocale, placeholders, translator } from "../../app/i18n/core";
import { fill, respondentWords } from "../../app/i18n/respondent";

const sent = "{n, plural, zero {nothing} one {one answer} two {two answers} few {# answers (few)} many {# answers (many)} other {# answers}}";

describe("plurals by Intl.PluralRules", () => {
  it("chooses each of Arabic's six forms", () => {
    const ar = (n: number) => formatMessage(sent, { n }, "ar");
    expect(ar(0)).toBe("nothing");
    expect(ar(1)).toBe("one answer");
    expect(ar(2)).toBe("two answers");
    expect(ar(3)).toBe("3 answers (few)");
    expect(ar(10)).toBe("10 answers (few)");
    expect(ar(11)).toBe("11 answers (many)");
    expect(ar(99)).toBe("99 answers (many)");
    expect(ar(100)).toBe("100 answers");
    expect(ar(103)).toBe("103 answers (few)");
  });

  it("uses the language's own rules: French says one for 0 and 1, English only for 1", () => {
    const msg = "{n, plural, one {# réponse} other {# réponses}}";
    expect(formatMessage(msg, { n: 0 }, "fr")).toBe("0 réponse");
    expect(formatMessage(msg, { n: 1 }, "fr")).toBe("1 réponse");
    expect(formatMessage(msg, { n: 2 }, "fr")).toBe("2 réponses");
    expect(formatMessage(msg, { n: 0 }, "en")).toBe("0 réponses");
  });

  it("prefers an exact =N branch, and keeps placeholders inside branches", () => {
    const msg = "{n, plural, =0 {No one in {place}} one {# person in {place}} other {# people in {place}}}";
    expect(formatMessage(msg, { n: 0, place: "Ouaga" }, "en")).toBe("No one in Ouaga");
    expect(formatMessage(msg, { n: 1, place: "Ouaga" }, "en")).toBe("1 person in Ouaga");
    expect(formatMessage(msg, { n: 1200, place: "Ouaga" }, "en")).toBe("1,200 people in Ouaga");
  });

  it("the kiosk bar counts in Arabic with its own forms", () => {
    const w = respondentWords("ar");
    expect(fill(w.barToSend, { n: 1 }, "ar")).toBe("إجابة واحدة للإرسال");
    expect(fill(w.barToSend, { n: 2 }, "ar")).toBe("إجابتان للإرسال");
    expect(fill(w.barToSend, { n: 3 }, "ar")).toBe("3 إجابات للإرسال");
    expect(fill(w.barToSend, { n: 3 }, "ar-EG")).toBe("٣ إجابات للإرسال");
  });
});

describe("numbers by Intl.NumberFormat", () => {
  it("writes digits as CLDR's default for the full tag", () => {
    expect(formatNumber(1234.5, "en")).toBe("1,234.5");
    expect(formatNumber(1234.5, "fr")).toBe("1\u202f234,5");
    // Plain "ar" and the Maghreb write Latin digits; the Mashriq writes Arabic-Indic ones.
    expect(formatNumber(1234, "ar")).toBe("1,234");
    expect(formatNumber(1234, "ar-MA")).toBe("1.234");
    expect(formatNumber(1234, "ar-JO")).toBe("١٬٢٣٤");
    expect(formatNumber(1234, "ar-u-nu-arab")).toBe("١٬٢٣٤");
    expect(formatNumber(0.42, "ar-IQ", { style: "percent" })).toBe("٤٢٪؜");
  });

  it("a number in a message is written in the locale's digits", () => {
    expect(formatMessage("Tries left: {n}", { n: 3 }, "ar-YE")).toBe("Tries left: ٣");
    expect(formatMessage("Tries left: {n}", { n: "3" }, "ar-YE")).toBe("Tries left: 3");
  });

  it("an unknown tag writes plain digits instead of failing", () => {
    expect(formatNumber(7, "not a tag!")).toBe("7");
  });
});

describe("locales", () => {
  it("finds a table by exact tag, then primary subtag", () => {
    const tables = { en: 1, ar: 2, "pt-br": 3 };
    expect(pickLocale(tables, "ar-JO")).toBe("ar");
    expect(pickLocale(tables, "pt_BR")).toBe("pt-br");
    expect(pickLocale(tables, "ne")).toBeUndefined();
  });

  it("knows which scripts run right to left", () => {
    expect(directionOf("ar-JO")).toBe("rtl");
    expect(directionOf("ps")).toBe("rtl");
    expect(directionOf("fr")).toBe("ltr");
    expect(directionOf("so")).toBe("ltr");
  });

  it("a translator falls back to English, then to the key", () => {
    const en = { hello: "Hello {name}", bye: "Bye" };
    const t = translator<typeof en>("fr", { hello: "Bonjour {name}" }, en);
    expect(t("hello", { name: "Awa" })).toBe("Bonjour Awa");
    expect(t("bye")).toBe("Bye");
  });

  it("lists a message's placeholders, plural arguments included", () => {
    expect(placeholders(sent)).toEqual(["n"]);
    expect(placeholders("{count}, {n} in {community}")).toEqual(["community", "count", "n"]);
  });
});
