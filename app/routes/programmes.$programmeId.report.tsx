// The report a manager sends (browser print to PDF, A4): a cover with programme, period, method and
// the executive summary; two indicators per page with trend by gender, tracking row and narrative;
// a note on method and disclosure control. Managers write the summary and narratives here.
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm, requireViewer } from "~/auth.server";
import { loadDashboardContext } from "~/dashboard/context.server";
import { loadReport } from "~/dashboard/report.server";
import { METHOD_NOTES } from "~/dashboard/reference-sheet";
import { parseView, withView } from "~/dashboard/view";
import { canSetTargets, PlanInputError, saveReportTexts } from "~/models/indicator-targets.server";
import { REPORT_TEXT_MAX, SUMMARY } from "~/dashboard/report-texts";
import { roleIn } from "~/models/programmes.server";
import { getArrivals } from "~/models/arrivals.server";
import { TrendChart } from "~/ui/dashboard/Charts";
import { PrintButton } from "~/ui/dashboard/PrintButton";
import { TrackingTable } from "~/ui/dashboard/TrackingTable";
import { arrivalsLine, hiddenFigureReason } from "~/ui/dashboard/arrivals-text";
import { CsrfField } from "~/ui/forms";
import dashboardStylesHref from "~/ui/dashboard/dashboard.css?url";
import trackingStylesHref from "~/ui/dashboard/tracking.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: dashboardStylesHref },
  { rel: "stylesheet", href: trackingStylesHref },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Report · ${data?.programme.name ?? "Programme"}` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const view = parseView(new URL(request.url).searchParams);
  const found = await loadDashboardContext(context.db, viewer, params.programmeId!, view.survey);
  if (!found?.context) throw data({ message: "There is no report here, or you are not a member of this programme." }, { status: 404 });
  const ctx = found.context;
  const [report, arrivals, role] = await Promise.all([loadReport(context.db, ctx, view), getArrivals(context.db, viewer, ctx.survey.id), roleIn(context.db, viewer, found.programme.id)]);
  return {
    programme: { id: found.programme.id, name: found.programme.name, country: found.programme.country },
    survey: { id: ctx.survey.id, title: ctx.survey.title, version: ctx.survey.version },
    rounds: ctx.rounds.map((r) => `${r.name} (${r.startsOn} to ${r.endsOn})`),
    view,
    generatedOn: new Date().toISOString().slice(0, 10),
    report,
    canEdit: canSetTargets(role),
    received: arrivals ? { line: arrivalsLine(arrivals), rounds: arrivals.rounds.map((r) => `${r.name} ${r.n.toLocaleString("en-GB")}`).join(" · ") } : null,
    hiddenReason: arrivals ? hiddenFigureReason(arrivals, view, report.minCellSize) : null,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const form = await readForm(request, context);
  const found = await loadDashboardContext(context.db, viewer, params.programmeId!, String(form.get("survey") ?? ""));
  if (!found?.context) throw data({ message: "There is no report here, or you are not a member of this programme." }, { status: 404 });
  if (!canSetTargets(await roleIn(context.db, viewer, found.programme.id)))
    throw data({ message: "Only the programme's managers (and administrators) write the report's texts." }, { status: 403 });
  const ctx = found.context;
  const texts = [
    { indicatorId: SUMMARY, body: String(form.get("summary") ?? "") },
    ...ctx.survey.definition.indicators.map((i) => ({ indicatorId: i.id, body: String(form.get(`narrative.${i.id}`) ?? "") })),
  ];
  try {
    await saveReportTexts(context.db, viewer, { programmeId: found.programme.id, surveyId: ctx.survey.id, texts });
  } catch (e) {
    if (e instanceof PlanInputError) return data({ field: e.field, message: e.message }, { status: 400 });
    throw e;
  }
  return { field: null, message: "Report texts saved." };
}

function Narrative({ name, label, text, canEdit }: { name: string; label: string; text: string; canEdit: boolean }) {
  return (
    <div className="narrative">
      {canEdit ? (
        <label className="no-print">
          <span>{label}</span>
          <textarea name={name} form="report-texts" defaultValue={text} rows={4} maxLength={REPORT_TEXT_MAX} dir="auto" />
        </label>
      ) : null}
      {text ? <p className={canEdit ? "print-only" : undefined}>{text}</p> : <p className="muted no-print">{canEdit ? "" : "No text written yet."}</p>}
    </div>
  );
}

export default function Report() {
  const { programme, survey, rounds, view, generatedOn, report, canEdit, received, hiddenReason } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const split = report.blocks[0]?.chart.lines.length > 1 ? "by gender" : "";
  return (
    <div className="report">
      <div className="no-print report-toolbar">
        <p className="breadcrumbs">
          <Link to="/">Programmes</Link> › <Link to={`/programmes/${programme.id}`}>{programme.name}</Link> ›{" "}
          <Link to={`/programmes/${programme.id}/dashboard${withView(view, {})}`}>Dashboard</Link> ›
        </p>
        <p className="dashboard-links">
          <PrintButton />
          {canEdit ? (
            <button type="submit" form="report-texts" className="secondary" disabled={busy}>
              Save texts
            </button>
          ) : null}
          <Link className="button secondary" to={`/programmes/${programme.id}/tracking?survey=${survey.id}`}>
            Tracking table
          </Link>
        </p>
        {result ? (
          <p role={result.field ? "alert" : "status"} className={result.field ? "error" : "notice"}>
            {result.message}
          </p>
        ) : null}
        {canEdit ? (
          <Form method="post" id="report-texts">
            <CsrfField />
            <input type="hidden" name="survey" value={survey.id} />
          </Form>
        ) : null}
      </div>

      <section className="report-page report-cover" aria-labelledby="cover-h">
        <h1 id="cover-h">How safe people feel: {programme.name}</h1>
        <p className="lede">
          {survey.title} (version {survey.version}){programme.country ? ` · ${programme.country}` : ""} · report of {generatedOn}
        </p>
        <dl className="cover-facts">
          <dt>Period</dt>
          <dd>{report.period}</dd>
          <dt>Rounds</dt>
          <dd>{rounds.join("; ") || "none defined"}</dd>
          <dt>Method</dt>
          <dd>
            Each round is an independent sample. Shares with 95% Wilson intervals, change since baseline with Newcombe's interval; groups of fewer than {report.minCellSize}{" "}
            respondents are hidden.{report.indicative ? " Focus-group figures are indicative." : ""}
          </dd>
          {received ? (
            <>
              <dt>Responses</dt>
              <dd>
                {received.line}.{received.rounds ? ` By round: ${received.rounds}.` : ""}
              </dd>
            </>
          ) : null}
        </dl>
        <h2>Executive summary</h2>
        <Narrative name="summary" label="Executive summary" text={report.summary} canEdit={canEdit} />
        <TrackingTable table={report.tracking} compact caption="Indicators at a glance: value per round (95% interval, n), target, change and status" />
      </section>

      {report.pages.map((pair, p) => (
        <section key={p} className="report-page report-pair" aria-label={`Indicators, page ${p + 2}`}>
          {pair.map((b) => {
            const h = b.headline;
            return (
              <article key={h.indicatorId} className="report-indicator" aria-labelledby={`r-${h.indicatorId}`}>
                <h2 id={`r-${h.indicatorId}`}>
                  {h.label}
                  {h.reference && !h.label.includes(h.reference) ? <span className="reference"> · {h.reference}</span> : null}
                </h2>
                <p className="report-headline">
                  {h.empty ? (
                    <span className="muted">{hiddenReason ? `No figure to show yet. ${hiddenReason}` : "No figure to show yet."}</span>
                  ) : (
                    <>
                      <strong className="big">{h.value}</strong> {h.period} · {h.interval} · {h.n}
                      {h.change ? ` · ${h.verdict}: ${h.change}` : ""}
                      {h.target ? ` · ${h.target}` : ""}
                    </>
                  )}
                </p>
                <TrendChart series={b.chart} label={`${h.label}, trend ${split}`} height={190} />
                <p className="chart-note">
                  Trend {split}: bars are 95% intervals, n beside each point.{h.indicative ? " Hollow points include focus-group responses (indicative)." : ""}
                </p>
                <TrackingTable table={report.tracking} rows={[b.tracking]} compact />
                <Narrative name={`narrative.${h.indicatorId}`} label={`Narrative: ${h.label}`} text={b.narrative} canEdit={canEdit} />
              </article>
            );
          })}
        </section>
      ))}

      <section className="report-page method" aria-labelledby="notes-h">
        <h2 id="notes-h">Notes on method and disclosure control</h2>
        <ul>
          <li>Rounds: {rounds.join("; ") || "none defined"}. Each round is an independent sample: different people may answer each time.</li>
          {METHOD_NOTES.map((n) => (
            <li key={n}>{n}</li>
          ))}
          <li>For SDG 16.1.4 the official rule divides by all respondents; the alternative leaves out “I never walk alone after dark” (5) and “don't know” (99). Both are shown, with the count of those answers.</li>
          <li>
            Disclosure control: {report.suppressionNote} Groups are shown by round only. When a total is published, at least one more figure is hidden beside any hidden one so it cannot be
            worked out by subtraction.
          </li>
          {report.indicative ? <li>Some figures include responses collected in focus-group sessions. These are not probability samples: their intervals are indicative only.</li> : null}
          <li>Data source: {report.tracking.source}. Frequency: {report.tracking.frequency}.</li>
        </ul>
      </section>
    </div>
  );
}
