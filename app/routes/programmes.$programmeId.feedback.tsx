// Community feedback view for validation workshops: one community's results in its language,
// large and simple, small groups hidden.
import { Form, Link, useLoaderData } from "@remix-run/react";
import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requireViewer } from "~/auth.server";
import { loadDashboardContext } from "~/dashboard/context.server";
import { loadFeedback } from "~/dashboard/feedback.server";
import { FEEDBACK_WORDS } from "~/i18n/feedback";
import { formatNumber, pickLocale, translator } from "~/i18n/core";
import { localName } from "~/models/name-translations";
import { programmeNameTranslations } from "~/models/name-translations.server";
import { getArrivals } from "~/models/arrivals.server";
import dashboardStylesHref from "~/ui/dashboard/dashboard.css?url";
import { refuse } from "~/refusal.server";
import { wordsFor } from "~/i18n/staff.server";
import { feedbackPage } from "~/i18n/staff/feedback-page";
import { useStaffLocale, useWords } from "~/i18n/staff";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.staffWords.pageTitle.replace("{name}", data.programme.name) : "Community feedback" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const url = new URL(request.url);
  const lang = url.searchParams.get("lang") ?? "en";
  const found = await loadDashboardContext(context.db, viewer, params.programmeId!, url.searchParams.get("survey"), lang);
  if (!found?.context) throw refuse("refused.noFeedback", 404);
  const ctx = found.context;
  const community = ctx.communities.find((c) => c.id === url.searchParams.get("community")) ?? ctx.communities[0];
  if (!community) throw refuse("refused.noCommunities", 404);
  const languages = ctx.survey.definition.languages;
  const language = languages.find((l) => l.code === ctx.language) ?? languages[0];
  // Community and round names as the programme page gives them in the page's language.
  const names = await programmeNameTranslations(context.db, found.programme.id);
  const items = (await loadFeedback(context.db, ctx, community.id)).map((item) => ({
    ...item,
    rounds: item.rounds.map((r) => ({ ...r, label: localName(r.label, names.rounds[r.id] ?? {}, language.code) })),
  }));
  // A community's count may be shown (only smaller groups are hidden): it tells a workshop why
  // there is nothing to show yet.
  const arrivals = await getArrivals(context.db, viewer, ctx.survey.id);
  const { words: staffWords } = await wordsFor(context.db, request, viewer.id, feedbackPage);
  const received = arrivals?.communities.find((c) => c.id === community.id)?.n ?? 0;
  const anyShown = items.some((i) => i.rounds.some((r) => !r.hidden && r.value !== null));
  return {
    programme: { id: found.programme.id, name: found.programme.name },
    surveyId: ctx.survey.id,
    communities: ctx.communities,
    community: { ...community, name: localName(community.name, names.communities[community.id] ?? {}, language.code) },
    languages,
    language,
    words: FEEDBACK_WORDS[pickLocale(FEEDBACK_WORDS, language.code) ?? "en"],
    minCellSize: ctx.programme.minCellSize,
    items,
    received,
    nothingShown: !anyShown,
    staffWords,
  };
}

export default function Feedback() {
  const { programme, surveyId, communities, community, languages, language, words, minCellSize, items, received, nothingShown, staffWords } = useLoaderData<typeof loader>();
  // The workshop's results speak the community's language; the staff controls the person's own.
  const staff = useWords(staffWords);
  const { locale: staffLocale, dir: staffDir } = useStaffLocale();
  const say = translator(language.code, words, words);
  const t = (key: keyof typeof words) => say(key, { community: community.name, n: minCellSize, count: received });
  const whyNothing = received === 0 ? t("noneYet") : t("tooFew");
  return (
    <div className="feedback" lang={language.code} dir={language.direction}>
      <p className="breadcrumbs no-print" lang={staffLocale} dir={staffDir}>
        <Link to="/">{staff("programmes")}</Link> › <Link to={`/programmes/${programme.id}`}>{programme.name}</Link> ›{" "}
        <Link to={`/programmes/${programme.id}/dashboard`}>{staff("dashboard")}</Link> ›
      </p>
      <Form method="get" className="inline-form no-print" lang={staffLocale} dir={staffDir}>
        <input type="hidden" name="survey" value={surveyId} />
        <label>
          {staff("community")}
          <select name="community" defaultValue={community.id}>
            {communities.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {staff("language")}
          <select name="lang" defaultValue={language.code}>
            {languages.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button secondary">
          {staff("show")}
        </button>
      </Form>
      <h1>{t("title")}</h1>
      <p className="lede">{t("intro")}</p>
      {nothingShown ? <p className="notice notice-info feedback-why">{whyNothing}</p> : null}
      {items.map((item) => (
        <section key={item.id} className="card feedback-item" aria-labelledby={`fb-${item.id}`}>
          <h2 id={`fb-${item.id}`}>{item.label}</h2>
          {item.rounds.length === 0 ? <p className="fb-hidden">{whyNothing}</p> : null}
          <div className="fb-bars">
            {item.rounds.map((r) => (
              <Bar key={r.label} lang={language.code} label={r.label} value={r.value} hidden={r.hidden} hiddenText={t("hidden")} caption={r.n ? say("people", { count: r.n }) : undefined} />
            ))}
          </div>
          {item.byGender.length ? (
            <>
              <h3>{t("latest")}</h3>
              <div className="fb-bars">
                {item.byGender.map((g) => (
                  <Bar key={g.label} lang={language.code} label={g.label} value={g.value} hidden={g.hidden} hiddenText={t("hidden")} />
                ))}
              </div>
            </>
          ) : null}
        </section>
      ))}
      <p className="muted">{t("note")}</p>
    </div>
  );
}

function Bar({ lang, label, value, hidden, hiddenText, caption }: { lang: string; label: string; value: number | null; hidden: boolean; hiddenText: string; caption?: string }) {
  const pct = value === null ? 0 : Math.round(value * 100);
  const shown = formatNumber(pct / 100, lang, { style: "percent" });
  return (
    <div className="fb-row">
      <span>
        {label}
        {caption ? <small className="muted" style={{ display: "block", fontSize: "0.85rem" }}>{caption}</small> : null}
      </span>
      {hidden || value === null ? (
        <span className="fb-hidden">{hiddenText}</span>
      ) : (
        <span className="fb-track" role="img" aria-label={`${label}: ${shown}`}>
          <span className="fb-fill" style={{ width: `${pct}%`, display: "block" }} />
        </span>
      )}
      <span className="fb-value">{hidden || value === null ? "" : shown}</span>
    </div>
  );
}
