// The report a manager sends (browser print to PDF, A4): a cover with programme, period, method and
// the executive summary; two indicators per page with trend by gender, tracking row and narrative;
// a note on method and disclosure control. Managers write the summary and narratives here.
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm, requireViewer } from "~/auth.server";
import { loadDashboardContext } from "~/dashboard/context.server";
import { loadReport } from "~/dashboard/report.server";
import { engineWords } from "~/dashboard/engine-words";
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
import { staffLocale, wordsFor } from "~/i18n/staff.server";
import { useWords } from "~/i18n/staff";
import { tracking } from "~/i18n/staff/tracking";
import { report as reportCatalog } from "~/i18n/staff/report";
import dashboardStylesHref from "~/ui/dashboard/dashboard.css?url";
import trackingStylesHref from "~/ui/dashboard/tracking.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: dashboardStylesHref },
  { rel: "stylesheet", href: trackingStylesHref },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Report" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const view = parseView(new URL(request.url).searchParams);
  // Indicator and group labels in the staff page's language when the survey has it.
  const locale = await staffLocale(context.db, request, viewer.id);
  const found = await loadDashboardContext(context.db, viewer, params.programmeId!, view.survey, locale);
  if (!found?.context) throw data({ message: "There is no report here, or you are not a member of this programme." }, { status: 404 });
  const ctx = found.context;
  const [report, arrivals, role, words, trackingWords] = await Promise.all([
    loadReport(context.db, ctx, view, engineWords(locale)),
    getArrivals(context.db, viewer, ctx.survey.id),
    roleIn(context.db, viewer, found.programme.id),
    wordsFor(context.db, request, viewer.id, reportCatalog),
    wordsFor(context.db, request, viewer.id, tracking),
  ]);
  return {
    words: words.words,
    trackingWords: trackingWords.words,
    title: words.t("pageTitle", { programme: found.programme.name }),
    programme: { id: found.programme.id, name: found.programme.name, country: found.programme.country },
    survey: { id: ctx.survey.id, title: ctx.survey.title, version: ctx.survey.version },
    rounds: ctx.rounds.map((r) => `${r.name} (${r.startsOn} to ${r.endsOn})`),
    view,
    generatedOn: new Date().toISOString().slice(0, 10),
    report,
    canEdit: canSetTargets(role),
    received: arrivals ? { line: arrivalsLine(arrivals), rounds: arrivals.rounds.map((r) => `${r.name} ${r.n.toLocaleString("en-GB")}`).join(" · ") } : null,
    hiddenReason: arrivals ? hiddenFigureReason(arrivals, view, report.minCellSize, engineWords(locale)) : null,
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
  return { field: null, message: (await wordsFor(context.db, request, viewer.id, reportCatalog)).t("textsSaved") };
}

function Narrative({ name, label, text, canEdit, noText }: { name: string; label: string; text: string; canEdit: boolean; noText: string }) {
  return (
    <div className="narrative">
      {canEdit ? (
        <label className="no-print">
          <span>{label}</span>
          <textarea name={name} form="report-texts" defaultValue={text} rows={4} maxLength={REPORT_TEXT_MAX} dir="auto" />
        </label>
      ) : null}
      {text ? <p className={canEdit ? "print-only" : undefined}>{text}</p> : <p className="muted no-print">{canEdit ? "" : noText}</p>}
    </div>
  );
}

export default function Report() {
  const { programme, survey, rounds, view, generatedOn, report, canEdit, received, hiddenReason, words, trackingWords } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const byGender = report.blocks[0]?.chart.lines.length > 1;
  return (
    <div className="report">
      <div className="no-print report-toolbar">
        <p className="breadcrumbs">
          <Link to="/">{t("programmes")}</Link> › <Link to={`/programmes/${programme.id}`}>{programme.name}</Link> ›{" "}
          <Link to={`/programmes/${programme.id}/dashboard${withView(view, {})}`}>{t("dashboard")}</Link> ›
        </p>
        <p className="dashboard-links">
          <PrintButton label={t("print")} />
          {canEdit ? (
            <button type="submit" form="report-texts" className="secondary" disabled={busy}>
              {t("saveTexts")}
            </button>
          ) : null}
          <Link className="button secondary" to={`/programmes/${programme.id}/tracking?survey=${survey.id}`}>
            {t("trackingTable")}
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
        <h1 id="cover-h">{t("heading", { programme: programme.name })}</h1>
        <p className="lede">{t("lede", { survey: survey.title + (programme.country ? ` · ${programme.country}` : ""), version: survey.version, date: generatedOn })}</p>
        <dl className="cover-facts">
          <dt>{t("period")}</dt>
          <dd>{report.period}</dd>
          <dt>{t("rounds")}</dt>
          <dd>{rounds.join("; ") || t("noRounds")}</dd>
          <dt>{t("method")}</dt>
          <dd>
            {t("methodText", { min: report.minCellSize })}
            {report.indicative ? ` ${t("indicativeNote")}` : ""}
          </dd>
          {received ? (
            <>
              <dt>{t("responses")}</dt>
              <dd>
                {received.line}.{received.rounds ? ` ${t("byRound", { rounds: received.rounds })}` : ""}
              </dd>
            </>
          ) : null}
        </dl>
        <h2>{t("summary")}</h2>
        <Narrative name="summary" label={t("summary")} text={report.summary} canEdit={canEdit} noText={t("noText")} />
        <TrackingTable table={report.tracking} words={trackingWords} compact caption={t("atAGlance")} />
      </section>

      {report.pages.map((pair, p) => (
        <section key={p} className="report-page report-pair" aria-label={t("indicatorsPage", { n: p + 2 })}>
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
                    <span className="muted">{hiddenReason ? `${t("noFigure")} ${hiddenReason}` : t("noFigure")}</span>
                  ) : (
                    <>
                      <strong className="big">{h.value}</strong> {h.period} · {h.interval} · {h.n}
                      {h.change ? ` · ${h.verdict}: ${h.change}` : ""}
                      {h.target ? ` · ${h.target}` : ""}
                    </>
                  )}
                </p>
                <TrendChart series={b.chart} label={t(byGender ? "trendLabelByGender" : "trendLabel", { indicator: h.label })} height={190} />
                <p className="chart-note">
                  {t(byGender ? "chartNoteByGender" : "chartNote")}
                  {h.indicative ? ` ${t("hollowNote")}` : ""}
                </p>
                <TrackingTable table={report.tracking} words={trackingWords} rows={[b.tracking]} compact />
                <Narrative name={`narrative.${h.indicatorId}`} label={t("narrative", { indicator: h.label })} text={b.narrative} canEdit={canEdit} noText={t("noText")} />
              </article>
            );
          })}
        </section>
      ))}

      <section className="report-page method" aria-labelledby="notes-h">
        <h2 id="notes-h">{t("notesHeading")}</h2>
        <ul>
          <li>{t("roundsNote", { rounds: rounds.join("; ") || t("noRounds") })}</li>
          {METHOD_NOTES.map((n) => (
            <li key={n} lang="en">
              {n}
            </li>
          ))}
          <li>{t("sdgNote")}</li>
          <li>{t("disclosureNote", { note: report.suppressionNote })}</li>
          {report.indicative ? <li>{t("focusGroupNote")}</li> : null}
          <li>{t("sourceNote", { source: report.tracking.source, frequency: report.tracking.frequency })}</li>
        </ul>
      </section>
    </div>
  );
}
