// The programme dashboard: every indicator's headline and trend, split and filtered as the URL says,
// with the gap, answer distribution and community views for the indicator in focus.
import { Form, Link, useLoaderData } from "@remix-run/react";
import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requireViewer } from "~/auth.server";
import { loadDashboardContext, nameDimensions } from "~/dashboard/context.server";
import { loadDashboard } from "~/dashboard/dashboard.server";
import { parseView, PANELS, viewParams, withView, type DashboardView } from "~/dashboard/view";
import { DistributionBars, NumbersTable, TrendChart } from "~/ui/dashboard/Charts";
import { HeadlineCard } from "~/ui/dashboard/Headline";
import { ArrivalsPanel } from "~/ui/dashboard/Arrivals";
import { hiddenFigureReason } from "~/ui/dashboard/arrivals-text";
import { getArrivals } from "~/models/arrivals.server";
import dashboardStylesHref from "~/ui/dashboard/dashboard.css?url";
import arrivalsStylesHref from "~/ui/dashboard/arrivals.css?url";
import { refuse } from "~/refusal.server";
import { staffLocale, wordsFor } from "~/i18n/staff.server";
import { dashboardEngine, type EngineMessages } from "~/i18n/staff/dashboard-engine";
import { engineWords } from "~/dashboard/engine-words";
import { dashboard as dashboardWords, type DashboardWords } from "~/i18n/staff/dashboard";
import { useWords } from "~/i18n/staff";
import type { Translate } from "~/i18n/core";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: dashboardStylesHref },
  { rel: "stylesheet", href: arrivalsStylesHref },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.pageTitle.replace("{name}", data.programme.name) : "Dashboard" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const url = new URL(request.url);
  const view = parseView(url.searchParams);
  const found = await loadDashboardContext(context.db, viewer, params.programmeId!, view.survey, await staffLocale(context.db, request, viewer.id));
  if (!found) throw refuse("refused.noProgramme", 404);
  const { words, t, locale } = await wordsFor(context.db, request, viewer.id, dashboardWords);
  // The engine writes captions, columns and headlines in the page's language, numbers as it writes them.
  const engine = engineWords(locale);
  const engineText = dashboardEngine[locale];
  const { programme } = found;
  const ctx = found.context && nameDimensions(found.context, t);
  if (!ctx) return { programme: { id: programme.id, name: programme.name }, ctx: null, view, dashboard: null, arrivals: null, hiddenReason: null, words, engineText };
  const dashboard = await loadDashboard(context.db, ctx, view, engine);
  const arrivals = await getArrivals(context.db, viewer, ctx.survey.id);
  return {
    programme: { id: programme.id, name: programme.name },
    view: { ...view, survey: ctx.survey.id },
    ctx: {
      surveyId: ctx.survey.id,
      surveys: ctx.surveys.map((s) => ({ id: s.id, title: s.title })),
      rounds: ctx.rounds.map((r) => ({ id: r.id, name: r.name })),
      communities: ctx.communities,
      dimensions: ctx.dimensions.map((d) => ({ id: d.id, label: d.label, values: d.values })),
      indicators: ctx.survey.definition.indicators.map((i) => i.id),
    },
    dashboard,
    arrivals,
    // What an empty headline says instead of a figure, told from what arrived.
    hiddenReason: arrivals ? hiddenFigureReason(arrivals, view, dashboard.minCellSize, engine) : null,
    words,
    engineText,
  };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Dashboard() {
  const { programme, ctx, view, dashboard, arrivals, hiddenReason, words, engineText } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const te = useWords(engineText);
  const base = `/programmes/${programme.id}`;
  if (!ctx || !dashboard) {
    return (
      <div>
        <p className="breadcrumbs">
          <Link to="/">{t("programmes")}</Link> › <Link to={base}>{programme.name}</Link> ›
        </p>
        <h1>{t("heading")}</h1>
        <p className="empty">{t("noSurvey")}</p>
      </div>
    );
  }
  const csv = (table: string, extra: Partial<DashboardView> = {}) => `${base}/dashboard.csv?${new URLSearchParams([...viewParams({ ...view, ...extra }), ["table", table]]).toString()}`;
  // "gender within community": the second split is nested inside the first.
  const [outer, inner] = view.by.map((id) => ctx.dimensions.find((d) => d.id === id)?.label.toLowerCase() ?? id);
  const splitLabel = inner ? t("within", { inner, outer }) : outer;
  const panelLabel = { trend: t("panelTrend"), gap: t("panelGap"), answers: t("panelAnswers"), communities: t("panelCommunities") };
  return (
    <div className="dashboard">
      <p className="breadcrumbs">
        <Link to="/">{t("programmes")}</Link> › <Link to={base}>{programme.name}</Link> ›
      </p>
      <div className="dashboard-head">
        <div>
          <h1>{t("headingFor", { name: programme.name })}</h1>
          <p className="lede">
            {t("lede", { min: dashboard.minCellSize })}
          </p>
        </div>
        <nav className="dashboard-links" aria-label={t("related")}>
          <Link to={`${base}/report${withView(view, {})}`} className="button secondary">
            {t("report")}
          </Link>
          <Link to={`${base}/tracking?survey=${ctx.surveyId}`} className="button secondary">
            {t("tracking")}
          </Link>
          <Link to={`${base}/feedback?survey=${ctx.surveyId}`} className="button secondary">
            {t("feedback")}
          </Link>
          <Link to={`${base}/sessions`} className="button secondary">
            {t("sessions")}
          </Link>
        </nav>
      </div>

      {arrivals ? <ArrivalsPanel a={arrivals} compact t={t} /> : null}

      <Filters ctx={ctx} view={view} months={dashboard.months} t={t} />

      {dashboard.outside ? (
        <p className="notice" role="status">
          {t("notShown")} {dashboard.outside.message} <Link to={`?survey=${ctx.surveyId}`}>{t("clearFilters")}</Link>
        </p>
      ) : null}

      <nav className="split-nav" aria-label={t("splitNav")}>
        <span className="split-title">{t("splitBy")}</span>
        <SplitLink view={view} by={[]} label={t("noSplit")} />
        {view.period === "round"
          ? ctx.dimensions
              .filter((d) => d.id !== "community")
              .map((d) => <SplitLink key={d.id} view={view} by={[d.id]} label={d.label} />)
          : null}
        <SplitLink view={view} by={["community"]} label={t("community")} />
        {view.period === "round" && ctx.dimensions.some((d) => d.id === "gender") ? <SplitLink view={view} by={["community", "gender"]} label={t("genderWithinCommunity")} /> : null}
        {view.period !== "round" ? <span className="split-hint">{t("groupsByRound")}</span> : null}
      </nav>

      <section aria-labelledby="headlines-h">
        <h2 id="headlines-h">{t("headlines")}</h2>
        <div className="headline-grid">
          {dashboard.blocks.map((b) => (
            <HeadlineCard key={b.headline.indicatorId} h={b.headline} href={`#ind-${b.headline.indicatorId}`} hiddenReason={hiddenReason} t={t} />
          ))}
        </div>
      </section>

      {dashboard.blocks.map((b) => {
        const focused = dashboard.focus?.indicatorId === b.headline.indicatorId ? dashboard.focus : null;
        const panel = focused?.panel ?? "trend";
        return (
          <section key={b.headline.indicatorId} id={`ind-${b.headline.indicatorId}`} className="card indicator" aria-labelledby={`h-${b.headline.indicatorId}`}>
            <h2 id={`h-${b.headline.indicatorId}`}>
              {b.headline.label}
              {b.headline.reference ? <span className="reference"> · {b.headline.reference}</span> : null}
            </h2>
            <nav className="tabs" aria-label={t("viewsOf", { label: b.headline.label })}>
              {PANELS.map((p) => (
                <Link
                  key={p.id}
                  to={`${withView(view, { indicator: b.headline.indicatorId, panel: p.id })}#ind-${b.headline.indicatorId}`}
                  aria-current={panel === p.id ? "page" : undefined}
                  preventScrollReset
                >
                  {panelLabel[p.id]}
                </Link>
              ))}
            </nav>
            {panel === "trend" ? (
              <>
                <h3>{splitLabel ? t("trendBy", { split: splitLabel }) : t("trend")}</h3>
                <TrendChart series={b.chart} label={b.table.caption} t={te} />
                <Legend indicative={b.headline.indicative} t={t} />
                <NumbersTable table={b.table} csvHref={csv(b.table.id)} t={te} />
              </>
            ) : null}
            {focused?.gap ? <GapPanel focus={focused} ctx={ctx} view={view} t={t} te={te} csv={csv(focused.gap.table.id, { indicator: b.headline.indicatorId, panel: "gap" })} /> : null}
            {focused?.answers ? (
              <>
                <h3>{outer ? t("answersGivenBy", { split: outer }) : t("answersGiven")}</h3>
                <DistributionBars chart={focused.answers.chart} diverging={focused.answers.diverging} label={focused.answers.table.caption} t={te} />
                <NumbersTable table={focused.answers.table} csvHref={csv("answers", { indicator: b.headline.indicatorId, panel: "answers" })} t={te} />
                {focused.ranking?.map((r) => (
                  <div key={r.table.id}>
                    <h3>{r.table.caption}</h3>
                    <NumbersTable table={r.table} open csvHref={csv(r.table.id, { indicator: b.headline.indicatorId, panel: "answers" })} t={te} />
                  </div>
                ))}
              </>
            ) : null}
            {focused?.unavailable ? <p className="notice notice-info">{focused.unavailable}</p> : null}
            {focused?.communities ? (
              <>
                <h3>{t("byCommunityPeriod")}</h3>
                <NumbersTable table={focused.communities.table} open csvHref={csv("communities", { indicator: b.headline.indicatorId, panel: "communities" })} t={te} />
              </>
            ) : null}
          </section>
        );
      })}
      <section className="card method" aria-labelledby="method-h">
        <h2 id="method-h">{t("methodHeading")}</h2>
        <ul>
          {dashboard.design === "community" ? (
            <>
              <li>{t("methodClusters")}</li>
              <li>{t("methodClusterChange")}</li>
            </>
          ) : (
            <>
              <li>{t("methodSimple")}</li>
              <li>{t("methodSimpleChange")}</li>
            </>
          )}
          <li>
            {dashboard.suppressionNote} {t("methodComplementary")}
          </li>
          <li>{t("methodHollow")}</li>
          <li>{t("methodRounds")}</li>
        </ul>
      </section>
    </div>
  );
}

function Legend({ indicative, t }: { indicative: boolean; t: Translate<DashboardWords> }) {
  return (
    <p className="chart-note">
      {t("legend")}
      {indicative ? ` ${t("legendHollow")}` : ""}
    </p>
  );
}

function SplitLink({ view, by, label }: { view: DashboardView; by: string[]; label: string }) {
  const current = view.by.join(",") === by.join(",");
  return (
    <Link to={withView(view, { by })} aria-current={current ? "true" : undefined} className={current ? "chip active" : "chip"} preventScrollReset>
      {label}
    </Link>
  );
}

function GapPanel({ focus, ctx, view, csv, t, te }: { focus: NonNullable<NonNullable<Data["dashboard"]>["focus"]>; ctx: NonNullable<Data["ctx"]>; view: DashboardView; csv: string; t: Translate<DashboardWords>; te: Translate<EngineMessages> }) {
  const gap = focus.gap!;
  const dims = ctx.dimensions.filter((d) => d.values.length >= 2);
  return (
    <>
      <h3>{t("gapHeading", { a: gap.aLabel, b: gap.bLabel })}</h3>
      <Form method="get" className="inline-form" preventScrollReset>
        {[...viewParams({ ...view, gapBy: null, a: null, b: null })].map(([k, v], i) => (
          <input key={i} type="hidden" name={k} value={v} />
        ))}
        <label>
          {t("gapBetween")}
          <select name="gapBy" defaultValue={gap.dimension}>
            {dims.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("firstGroup")}
          <select name="a" defaultValue={gap.a}>
            {gap.choices.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("secondGroup")}
          <select name="b" defaultValue={gap.b}>
            {gap.choices.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button secondary">
          {t("showGap")}
        </button>
      </Form>
      <TrendChart series={gap.chart} label={gap.table.caption} gap height={280} t={te} />
      <p className="chart-note">{t("gapNote", { a: gap.aLabel })}</p>
      <NumbersTable table={gap.table} csvHref={csv} open t={te} />
    </>
  );
}

function Filters({ ctx, view, months, t }: { ctx: NonNullable<Data["ctx"]>; view: DashboardView; months: string[]; t: Translate<DashboardWords> }) {
  const groupDims = ctx.dimensions.filter((d) => d.id !== "community");
  return (
    <Form method="get" className="filters card" aria-label={t("filters")}>
      {view.by.length ? <input type="hidden" name="by" value={view.by.join(",")} /> : null}
      {view.indicator ? <input type="hidden" name="indicator" value={view.indicator} /> : null}
      {ctx.surveys.length > 1 ? (
        <label>
          {t("survey")}
          <select name="survey" defaultValue={ctx.surveyId}>
            {ctx.surveys.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <input type="hidden" name="survey" value={ctx.surveyId} />
      )}
      <label>
        {t("periods")}
        <select name="period" defaultValue={view.period}>
          <option value="round">{t("rounds")}</option>
          <option value="quarter">{t("quarters")}</option>
          <option value="month">{t("months")}</option>
        </select>
      </label>
      <label>
        {t("community")}
        <select name="community" defaultValue={view.communities[0] ?? ""}>
          <option value="">{t("allCommunities")}</option>
          {ctx.communities.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {view.period === "round" ? (
        <label>
          {t("round")}
          <select name="round" defaultValue={view.rounds[0] ?? ""}>
            <option value="">{t("allRounds")}</option>
            {ctx.rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {view.period !== "round" ? (
        <>
          <MonthSelect name="from" label={t("from")} empty={t("firstMonth")} value={view.from} months={months} />
          <MonthSelect name="to" label={t("to")} empty={t("latestMonth")} value={view.to} months={months} />
        </>
      ) : null}
      {(view.period === "round" ? groupDims : []).map((d) => (
        <label key={d.id}>
          {d.label}
          <select name={`g.${d.id}`} defaultValue={view.groups[d.id] ?? ""}>
            <option value="">{t("everyone")}</option>
            {d.values.map((v) => (
              <option key={v.code} value={v.code}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      <div className="filter-actions">
        <button type="submit" className="button primary">
          {t("apply")}
        </button>
        <Link to={`?survey=${ctx.surveyId}`} className="button secondary">
          {t("clear")}
        </Link>
      </div>
    </Form>
  );
}

function MonthSelect({ name, label, empty, value, months }: { name: string; label: string; empty: string; value: string | null; months: string[] }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""}>
        <option value="">{empty}</option>
        {months.filter(Boolean).map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
    </label>
  );
}
