// The programme dashboard: every indicator's headline and trend, split and filtered as the URL says,
// with the gap, answer distribution and community views for the indicator in focus.
import { Form, Link, useLoaderData } from "@remix-run/react";
import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requireViewer } from "~/auth.server";
import { loadDashboardContext } from "~/dashboard/context.server";
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

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: dashboardStylesHref },
  { rel: "stylesheet", href: arrivalsStylesHref },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Dashboard · ${data?.programme.name ?? "Programme"} · Safety perception surveys` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const url = new URL(request.url);
  const view = parseView(url.searchParams);
  const found = await loadDashboardContext(context.db, viewer, params.programmeId!, view.survey);
  if (!found) throw refuse("refused.noProgramme", 404);
  const { programme, context: ctx } = found;
  if (!ctx) return { programme: { id: programme.id, name: programme.name }, ctx: null, view, dashboard: null, arrivals: null, hiddenReason: null };
  const dashboard = await loadDashboard(context.db, ctx, view);
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
    hiddenReason: arrivals ? hiddenFigureReason(arrivals, view, dashboard.minCellSize) : null,
  };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Dashboard() {
  const { programme, ctx, view, dashboard, arrivals, hiddenReason } = useLoaderData<typeof loader>();
  const base = `/programmes/${programme.id}`;
  if (!ctx || !dashboard) {
    return (
      <div>
        <p className="breadcrumbs">
          <Link to="/">Programmes</Link> › <Link to={base}>{programme.name}</Link> ›
        </p>
        <h1>Dashboard</h1>
        <p className="empty">No published survey yet: the dashboard fills in as soon as responses arrive.</p>
      </div>
    );
  }
  const csv = (table: string, extra: Partial<DashboardView> = {}) => `${base}/dashboard.csv?${new URLSearchParams([...viewParams({ ...view, ...extra }), ["table", table]]).toString()}`;
  // "gender within community": the second split is nested inside the first.
  const splitLabel = [...view.by].reverse().map((id) => ctx.dimensions.find((d) => d.id === id)?.label.toLowerCase()).join(" within ");
  return (
    <div className="dashboard">
      <p className="breadcrumbs">
        <Link to="/">Programmes</Link> › <Link to={base}>{programme.name}</Link> ›
      </p>
      <div className="dashboard-head">
        <div>
          <h1>How safe people feel: {programme.name}</h1>
          <p className="lede">
            Each figure shows how many people it stands on (n) and its 95% interval. Groups of fewer than {dashboard.minCellSize} respondents are hidden so no one can be singled out.
          </p>
        </div>
        <nav className="dashboard-links" aria-label="Related views">
          <Link to={`${base}/report${withView(view, {})}`} className="button secondary">
            Printable report
          </Link>
          <Link to={`${base}/tracking?survey=${ctx.surveyId}`} className="button secondary">
            Tracking table
          </Link>
          <Link to={`${base}/feedback?survey=${ctx.surveyId}`} className="button secondary">
            Community feedback
          </Link>
          <Link to={`${base}/sessions`} className="button secondary">
            Focus-group sessions
          </Link>
        </nav>
      </div>

      {arrivals ? <ArrivalsPanel a={arrivals} compact /> : null}

      <Filters ctx={ctx} view={view} months={dashboard.months} />

      {dashboard.outside ? (
        <p className="notice" role="status">
          This combination is not shown: {dashboard.outside.message} <Link to={`?survey=${ctx.surveyId}`}>Clear the filters</Link>
        </p>
      ) : null}

      <nav className="split-nav" aria-label="Split the trends">
        <span className="split-title">Split by:</span>
        <SplitLink view={view} by={[]} label="No split" />
        {view.period === "round"
          ? ctx.dimensions
              .filter((d) => d.id !== "community")
              .map((d) => <SplitLink key={d.id} view={view} by={[d.id]} label={d.label} />)
          : null}
        <SplitLink view={view} by={["community"]} label="Community" />
        {view.period === "round" && ctx.dimensions.some((d) => d.id === "gender") ? <SplitLink view={view} by={["community", "gender"]} label="Gender within community" /> : null}
        {view.period !== "round" ? <span className="split-hint">Groups (gender, age band…) are shown by round.</span> : null}
      </nav>

      <section aria-labelledby="headlines-h">
        <h2 id="headlines-h">Headlines</h2>
        <div className="headline-grid">
          {dashboard.blocks.map((b) => (
            <HeadlineCard key={b.headline.indicatorId} h={b.headline} href={`#ind-${b.headline.indicatorId}`} hiddenReason={hiddenReason} />
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
            <nav className="tabs" aria-label={`Views of ${b.headline.label}`}>
              {PANELS.map((p) => (
                <Link
                  key={p.id}
                  to={`${withView(view, { indicator: b.headline.indicatorId, panel: p.id })}#ind-${b.headline.indicatorId}`}
                  aria-current={panel === p.id ? "page" : undefined}
                  preventScrollReset
                >
                  {p.label}
                </Link>
              ))}
            </nav>
            {panel === "trend" ? (
              <>
                <h3>Trend{splitLabel ? ` by ${splitLabel}` : ""}</h3>
                <TrendChart series={b.chart} label={b.table.caption} />
                <Legend indicative={b.headline.indicative} />
                <NumbersTable table={b.table} csvHref={csv(b.table.id)} />
              </>
            ) : null}
            {focused?.gap ? <GapPanel focus={focused} ctx={ctx} view={view} csv={csv(focused.gap.table.id, { indicator: b.headline.indicatorId, panel: "gap" })} /> : null}
            {focused?.answers ? (
              <>
                <h3>Answers given{splitLabel ? ` by ${ctx.dimensions.find((d) => d.id === view.by[0])?.label.toLowerCase()}` : ""}</h3>
                <DistributionBars chart={focused.answers.chart} diverging={focused.answers.diverging} label={focused.answers.table.caption} />
                <NumbersTable table={focused.answers.table} csvHref={csv("answers", { indicator: b.headline.indicatorId, panel: "answers" })} />
                {focused.ranking?.map((r) => (
                  <div key={r.table.id}>
                    <h3>{r.table.caption}</h3>
                    <NumbersTable table={r.table} open csvHref={csv(r.table.id, { indicator: b.headline.indicatorId, panel: "answers" })} />
                  </div>
                ))}
              </>
            ) : null}
            {focused?.unavailable ? <p className="notice notice-info">{focused.unavailable}</p> : null}
            {focused?.communities ? (
              <>
                <h3>By community and period</h3>
                <NumbersTable table={focused.communities.table} open csvHref={csv("communities", { indicator: b.headline.indicatorId, panel: "communities" })} />
              </>
            ) : null}
          </section>
        );
      })}
      <section className="card method" aria-labelledby="method-h">
        <h2 id="method-h">How to read these figures</h2>
        <ul>
          {dashboard.design === "community" ? (
            <>
              <li>
                Respondents come in communities, and people of one community answer alike, so intervals are cluster-robust: a linearisation variance from each community's sums,
                with t on the number of communities less one. Beside each figure: the design effect (how much wider than for a simple random sample of the same size) and the
                effective n it stands on. Communities whose figures are hidden count as one cluster together. A figure for one community alone has no honest interval.
              </li>
              <li>Change since baseline uses the same variance for both rounds (Satterthwaite's degrees of freedom): “no clear change” when the interval includes zero.</li>
            </>
          ) : (
            <>
              <li>Shares are the percentage of respondents in the indicator's denominator; the 95% interval is the Wilson score interval, as for a simple random sample. Means use a t interval.</li>
              <li>Change since baseline uses a Newcombe interval for the difference of two shares (Welch's t interval for means): “no clear change” when the interval includes zero.</li>
            </>
          )}
          <li>{dashboard.suppressionNote} Further figures are hidden when they would let a hidden one be worked out from a total.</li>
          <li>Hollow points include focus-group responses: these groups are not random samples, so their intervals are indicative only.</li>
          <li>Each round is an independent sample of the community: different people may answer each time.</li>
        </ul>
      </section>
    </div>
  );
}

function Legend({ indicative }: { indicative: boolean }) {
  return (
    <p className="chart-note">
      Bars show 95% intervals; n is printed above each point.{indicative ? " Hollow points include focus-group responses (indicative)." : ""}
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

function GapPanel({ focus, ctx, view, csv }: { focus: NonNullable<NonNullable<Data["dashboard"]>["focus"]>; ctx: NonNullable<Data["ctx"]>; view: DashboardView; csv: string }) {
  const gap = focus.gap!;
  const dims = ctx.dimensions.filter((d) => d.values.length >= 2);
  return (
    <>
      <h3>
        Gap: {gap.aLabel} minus {gap.bLabel}
      </h3>
      <Form method="get" className="inline-form" preventScrollReset>
        {[...viewParams({ ...view, gapBy: null, a: null, b: null })].map(([k, v], i) => (
          <input key={i} type="hidden" name={k} value={v} />
        ))}
        <label>
          Between groups of
          <select name="gapBy" defaultValue={gap.dimension}>
            {dims.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          First group
          <select name="a" defaultValue={gap.a}>
            {gap.choices.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Second group
          <select name="b" defaultValue={gap.b}>
            {gap.choices.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button secondary">
          Show gap
        </button>
      </Form>
      <TrendChart series={gap.chart} label={gap.table.caption} gap height={280} />
      <p className="chart-note">Above zero: {gap.aLabel} higher. Bars show the 95% interval of the difference; where it crosses zero there is no clear gap.</p>
      <NumbersTable table={gap.table} csvHref={csv} open />
    </>
  );
}

function Filters({ ctx, view, months }: { ctx: NonNullable<Data["ctx"]>; view: DashboardView; months: string[] }) {
  const groupDims = ctx.dimensions.filter((d) => d.id !== "community");
  return (
    <Form method="get" className="filters card" aria-label="Filters">
      {view.by.length ? <input type="hidden" name="by" value={view.by.join(",")} /> : null}
      {view.indicator ? <input type="hidden" name="indicator" value={view.indicator} /> : null}
      {ctx.surveys.length > 1 ? (
        <label>
          Survey
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
        Periods
        <select name="period" defaultValue={view.period}>
          <option value="round">Rounds</option>
          <option value="quarter">Quarters</option>
          <option value="month">Months</option>
        </select>
      </label>
      <label>
        Community
        <select name="community" defaultValue={view.communities[0] ?? ""}>
          <option value="">All communities</option>
          {ctx.communities.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {view.period === "round" ? (
        <label>
          Round
          <select name="round" defaultValue={view.rounds[0] ?? ""}>
            <option value="">All rounds</option>
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
          <MonthSelect name="from" label="From" empty="First month" value={view.from} months={months} />
          <MonthSelect name="to" label="To" empty="Latest month" value={view.to} months={months} />
        </>
      ) : null}
      {(view.period === "round" ? groupDims : []).map((d) => (
        <label key={d.id}>
          {d.label}
          <select name={`g.${d.id}`} defaultValue={view.groups[d.id] ?? ""}>
            <option value="">Everyone</option>
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
          Apply filters
        </button>
        <Link to={`?survey=${ctx.surveyId}`} className="button secondary">
          Clear
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
