// The staff pages' words in components: the root loader gives the language, each page's loader its
// own catalog in that language (staff.server.ts), and this turns them into a translate function.
import { useRouteLoaderData } from "@remix-run/react";
import { formatNumber, translator, type Messages, type Translate } from "./core";

interface RootLanguage {
  language?: { locale: string; dir: "ltr" | "rtl"; common: Messages };
}

/** The staff page's language ("en", "fr", "ar") and direction, from the root loader. */
export function useStaffLocale(): { locale: string; dir: "ltr" | "rtl" } {
  const root = useRouteLoaderData("root") as RootLanguage | undefined;
  return { locale: root?.language?.locale ?? "en", dir: root?.language?.dir ?? "ltr" };
}

/** A translate function over a page's words (as its loader sent them), numbers in the page's locale. */
export function useWords<M extends Messages>(words: M): Translate<M> {
  const { locale } = useStaffLocale();
  return translator(locale, words, words);
}

/** Dates and numbers the way the page's language writes them. */
export function useFormats() {
  const { locale } = useStaffLocale();
  const tag = locale === "en" ? "en-GB" : locale;
  return {
    number: (n: number) => formatNumber(n, tag),
    date: (iso: string) => new Date(iso).toLocaleDateString(tag, { timeZone: "UTC" }),
    dateTime: (iso: string) => `${new Date(iso).toLocaleString(tag, { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" })} UTC`,
  };
}
