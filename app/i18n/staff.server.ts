// The staff pages' language: the person's own choice (stored on their account), else the first
// language their browser asks for that the pages have, else English. Each page's loader sends only
// its own catalog, in that one language, so neither the browser nor the tablet bundle carries them.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { directionOf, pickLocale, translator, type Messages, type Translate } from "./core";
import { admin } from "./staff/admin";
import { common } from "./staff/common";
import { dashboard } from "./staff/dashboard";
import { dashboardEngine } from "./staff/dashboard-engine";
import { dataPage } from "./staff/data";
import { feedbackPage } from "./staff/feedback-page";
import { linksPage } from "./staff/links";
import { editor, surveyErrors } from "./staff/editor";
import { login } from "./staff/login";
import { newSurvey } from "./staff/new-survey";
import { passwords } from "./staff/passwords";
import { preview } from "./staff/preview";
import { programme } from "./staff/programme";
import { programmes } from "./staff/programmes";
import { responses } from "./staff/responses";
import { sessions } from "./staff/sessions";
import { settings } from "./staff/settings";
import { setup } from "./staff/setup";
import { survey } from "./staff/survey";
import { translations } from "./staff/translations";
import { tracking } from "./staff/tracking";
import { report } from "./staff/report";
import { voices } from "./staff/voices";

export const STAFF_LOCALES = ["en", "fr", "ar"] as const;
export type StaffLocale = (typeof STAFF_LOCALES)[number];
/** Each language named in itself, for the chooser. */
export const STAFF_LOCALE_NAMES: Record<StaffLocale, string> = { en: "English", fr: "Français", ar: "العربية" };

type StaffCatalog<M extends Messages> = Record<StaffLocale, M>;
/** Every staff catalog, by page: the untranslated-keys test walks this. */
export const STAFF_CATALOGS = { admin, common, dashboard, dashboardEngine, data: dataPage, feedback: feedbackPage, links: linksPage, login, newSurvey, passwords, preview, programme, programmes, responses, sessions, settings, setup, survey, translations, editor, surveyErrors, voices, tracking, report } satisfies Record<string, StaffCatalog<Messages>>;

export const isStaffLocale = (tag: unknown): tag is StaffLocale => typeof tag === "string" && (STAFF_LOCALES as readonly string[]).includes(tag);

/** The best of our languages for an Accept-Language header ("fr-ML,fr;q=0.9,en;q=0.5"), or null. */
export function fromAcceptLanguage(header: string | null): StaffLocale | null {
  if (!header) return null;
  const asked = header
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith("q="))?.slice(2) ?? "1");
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((a) => a.tag && a.tag !== "*" && a.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const tables = Object.fromEntries(STAFF_LOCALES.map((l) => [l, l]));
  for (const a of asked) {
    const found = pickLocale(tables, a.tag);
    if (found) return found as StaffLocale;
  }
  return null;
}

export async function storedLanguage(db: Kysely<Database>, userId: string): Promise<StaffLocale | null> {
  const row = await db.selectFrom("users").select("ui_language").where("id", "=", userId).executeTakeFirst();
  return isStaffLocale(row?.ui_language) ? row.ui_language : null;
}

export async function setStoredLanguage(db: Kysely<Database>, userId: string, language: StaffLocale | null): Promise<void> {
  await db.updateTable("users").set({ ui_language: language }).where("id", "=", userId).execute();
}

/** The language a request's staff page is shown in. */
export async function staffLocale(db: Kysely<Database>, request: Request, userId: string | null): Promise<StaffLocale> {
  return (userId ? await storedLanguage(db, userId) : null) ?? fromAcceptLanguage(request.headers.get("Accept-Language")) ?? "en";
}

export interface StaffWords<M extends Messages> {
  locale: StaffLocale;
  dir: "ltr" | "rtl";
  /** The page's catalog in its language, for the component (see useWords in ./staff). */
  words: M;
  /** The same, for the loader or action (errors, notices). */
  t: Translate<M>;
}

/** One page's words in the request's language. */
export async function wordsFor<M extends Messages>(
  db: Kysely<Database>,
  request: Request,
  userId: string | null,
  catalog: StaffCatalog<M>,
): Promise<StaffWords<M>> {
  const locale = await staffLocale(db, request, userId);
  return { locale, dir: directionOf(locale), words: catalog[locale], t: translator(locale, catalog[locale], catalog.en) };
}
