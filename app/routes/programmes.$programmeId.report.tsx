// The print-ready programme report (browser print to PDF): headlines, trends, tables and notes on
// method and disclosure control, for the view given in the URL.
import { Link, useLoaderData } from "@remix-run/react";
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requireViewer } from "~/auth.server";
import { loadDashboardContext } from "~/dashboard/context.server";
import { loadReport } from "~/dashboard/report.server";
import { parseView, withView } from "~/dashboard/view";
import { NumbersTable, TrendChart } from "~/ui/dashboard/Charts";
import { HeadlineCard } from "~/ui/dashboard/Headline";
import { PrintButton } from "~/ui/dashboard/PrintButton";
import { arrivalsLine, hiddenFigureReason } from "~/ui/dashboard/arrivals-text";
import { getArrivals } from "~/models/arrivals.server";
import dashboardStylesHref from "~/ui/dashboard/dashboard.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Report · ${data?.programme.name ?? "Programme"}` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const view = parseView(new URL(request.url).searchParams);
  const found = await loadDashboardContext(context.db, viewer, params.programmeId!, view.survey);
  if (!found?.context) throw data({ message: "There is no report here, or you are not a member of this programme." }, { status: 404 });
  const ctx = found.context;
  const report = await loadReport(context.db, ctx, view);
  const arrivals = await getArrivals(context.db, viewer, ctx.survey.id);
  const split = view.by.map((id) => ctx.dimensions.find((d) => d.id === id)?.label.toLowerCase()).filter(Boolean);
  return {
    programme: { id: found.programme.id, name: found.programme.name, country: found.programme.country },
    survey: { title: ctx.survey.title, version: ctx.survey.version },
    rounds: ctx.rounds.map((r) => `${r.name} (${r.startsOn} to ${r.endsOn})`),
    view,
    split,
    generatedOn: new Date().toISOString().slice(0, 10),
    report,
    received: arrivals ? { line: arrivalsLine(arrivals), rounds: arrivals.rounds.map((r) => `${r.name} ${r.n.toLocaleString("en-GB")}`).join(" · ") } : null,
    hiddenReason: arrivals ? hiddenFigureReason(arrivals, view, report.minCellSize) : null,
  };
}

export default function Report() {
  const { programme, survey, rounds, view, split, generatedOn, report, received, hiddenReason } = useLoaderData<typeof loader>();
  return (
    <div className="report">
      <p className="breadcrumbs no-print">
        <Link to="/">Programmes</Link> › <Link to={`/programmes/${programme.id}`}>{programme.name}</Link> ›{" "}
        <Link to={`/programmes/${programme.id}/dashboard${withView(view, {})}`}>Dashboard</Link> ›
      </p>
      <p className="no-print">
        <PrintButton />
      </p>
      <h1>How safe people feel: {programme.name}</h1>
      <p className="lede">
        {survey.title} (version {survey.version}){programme.country ? ` · ${programme.country}` : ""} · report of {generatedOn}
        {split.length ? ` · split by ${split.join(" and ")}` : ""}
      </p>
      <section className="report-section" aria-labelledby="summary-h">
        <h2 id="summary-h">Summary</h2>
        {received ? (
          <p>
            {received.line}.{received.rounds ? ` By round: ${received.rounds}.` : ""}
          </p>
        ) : null}
        <div className="headline-grid">
          {report.blocks.map((b) => (
            <HeadlineCard key={b.headline.indicatorId} h={b.headline} hiddenReason={hiddenReason} />
          ))}
        </div>
      </section>
      {report.blocks.map((b) => (
        <section key={b.headline.indicatorId} className="card report-section" aria-labelledby={`r-${b.headline.indicatorId}`}>
          <h2 id={`r-${b.headline.indicatorId}`}>
            {b.headline.label}
            {b.headline.reference ? <span className="reference"> · {b.headline.reference}</span> : null}
          </h2>
          <TrendChart series={b.chart} label={b.table.caption} height={280} />
          <p className="chart-note">Bars show 95% intervals; n is printed above each point.{b.headline.indicative ? " Hollow points include focus-group responses (indicative)." : ""}</p>
          <NumbersTable table={b.table} open />
          <NumbersTable table={b.communities} open />
        </section>
      ))}
      <section className="card method report-section" aria-labelledby="notes-h">
        <h2 id="notes-h">Notes on method and disclosure control</h2>
        <ul>
          <li>Rounds: {rounds.join("; ") || "none defined"}. Each round is an independent sample: different people may answer each time.</li>
          <li>Shares are the percentage of respondents in each indicator's denominator, with a 95% Wilson score interval. Means of answer codes use a Student t interval; they treat an ordered scale as if its steps were equal, so read them beside the answer distribution.</li>
          <li>Change since baseline: Newcombe's interval for the difference of two independent shares (Welch's t interval for means). “Clear improvement” or “clear decline” only when the whole interval lies on one side of zero; otherwise “no clear change”.</li>
          <li>For SDG 16.1.4 the official rule divides by all respondents; the alternative leaves out “I never walk alone after dark” (5) and “don't know” (99). Both are shown, with the count of those answers.</li>
          <li>Disclosure control: {report.suppressionNote} When a total is published, at least one more figure is hidden beside any hidden one so it cannot be worked out by subtraction.</li>
          {report.indicative ? <li>Some figures include responses collected in focus-group sessions. These are not probability samples: their intervals are indicative only.</li> : null}
        </ul>
      </section>
    </div>
  );
}
