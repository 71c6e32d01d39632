// A survey's overview: responses received, versions, draft, status, and the ways to edit, preview,
// publish and share it.
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/auth.server";
import { requireSurvey } from "~/survey-access.server";
import { canAuthor, discardDraft, setSurveyStatus } from "~/models/surveys.server";
import { getArrivals } from "~/models/arrivals.server";
import { CsrfField, Notice } from "~/ui/forms";
import { ArrivalsPanel } from "~/ui/dashboard/Arrivals";
import arrivalsStylesHref from "~/ui/dashboard/arrivals.css?url";
import { refuse } from "~/refusal.server";
import { wordsFor } from "~/i18n/staff.server";
import { survey as surveyWords } from "~/i18n/staff/survey";
import { dashboard as dashboardWords } from "~/i18n/staff/dashboard";
import { useFormats, useWords } from "~/i18n/staff";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: arrivalsStylesHref }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.pageTitle.replace("{title}", data.survey.title) : "Survey" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!);
  const arrivals = await getArrivals(context.db, viewer, survey.id);
  const [{ words }, { words: arrivalWords }] = await Promise.all([
    wordsFor(context.db, request, viewer.id, surveyWords),
    wordsFor(context.db, request, viewer.id, dashboardWords),
  ]);
  return { survey, arrivals, canAuthor: canAuthor(survey.role), words, arrivalWords };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const form = await readForm(request, context);
  const { t } = await wordsFor(context.db, request, viewer.id, surveyWords);
  const intent = form.get("intent");
  if (intent === "close") {
    await setSurveyStatus(context.db, survey.id, "closed");
    return { ok: t("closedOk") };
  }
  if (intent === "reopen") {
    await setSurveyStatus(context.db, survey.id, "open");
    return { ok: t("reopenedOk") };
  }
  if (intent === "discard-draft") {
    await discardDraft(context.db, survey.id);
    return { ok: t("discardedOk") };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

export default function SurveyOverview() {
  const { survey, arrivals, canAuthor, words, arrivalWords } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const arrivalsT = useWords(arrivalWords);
  const { dateTime } = useFormats();
  const result = useActionData<typeof action>();
  const published = survey.latestVersion > 0;
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/">{t("programmes")}</Link> › <Link to={`/programmes/${survey.programmeId}`}>{survey.programmeName}</Link> ›
      </p>
      <h1>{survey.title}</h1>
      <p className="lede">
        {published ? t("versionPublished", { n: survey.latestVersion }) : t("notPublished")}{" "}
        {survey.hasDraft ? <span className="tag warn">{t("draftInProgress")}</span> : null}{" "}
        {survey.status === "open" ? <span className="tag">{t("open")}</span> : <span className="tag off">{t("closed")}</span>}
      </p>
      {result?.ok ? <Notice kind="success">{result.ok}</Notice> : null}
      <div className="actions page-actions">
        {canAuthor ? (
          <Link to="edit" className="button primary">
            {survey.hasDraft ? t("continueEditing") : t("editNewDraft")}
          </Link>
        ) : null}
        <Link to="preview" className="button secondary">
          {t("preview")}
        </Link>
        <Link to="links" className="button secondary">
          {t("links")}
        </Link>
        <a href={`/surveys/${survey.id}/definition.json`} className="button secondary" download>
          {t("exportJson")}
        </a>
        <a href={`/surveys/${survey.id}/form.xlsx`} className="button secondary" download>
          {t("exportXlsform")}
        </a>
        {canAuthor ? <Link to="translations" className="button secondary">{t("translations")}</Link> : null}
        {canAuthor ? <a href={`/surveys/${survey.id}/voices`} className="button secondary">{t("voices")}</a> : null}
        {canAuthor ? <Link to="data" className="button secondary">{t("data")}</Link> : null}
        {canAuthor ? <Link to="responses" className="button secondary">{t("responses")}</Link> : null}
        {published ? (
          <Link to={`/programmes/${survey.programmeId}/dashboard?survey=${survey.id}`} className="button secondary">
            {t("dashboard")}
          </Link>
        ) : null}
      </div>
      {arrivals ? <ArrivalsPanel a={arrivals} t={arrivalsT} /> : null}
      <div className="split">
        <section className="card" aria-labelledby="versions-h">
          <h2 id="versions-h">{t("versions")}</h2>
          {survey.versions.length === 0 ? (
            <p className="empty">{t("noVersions")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t("version")}</th>
                    <th scope="col">{t("published")}</th>
                    <th scope="col">{t("by")}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t("linksColumn")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {survey.versions.map((v) => (
                    <tr key={v.version}>
                      <td>{v.version}</td>
                      <td>{dateTime(v.publishedAt)}</td>
                      <td>{v.publishedBy}</td>
                      <td>
                        <Link to={`preview?version=${v.version}`}>{t("preview")}</Link> ·{" "}
                        <a href={`/surveys/${survey.id}/definition.json?version=${v.version}`} download>
                          JSON
                        </a>{" "}
                        ·{" "}
                        <a href={`/surveys/${survey.id}/form.xlsx?version=${v.version}`} download>
                          XLSForm
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="hint">{t("versionsHint")}</p>
        </section>
        {canAuthor ? (
          <aside className="card" aria-labelledby="status-h">
            <h2 id="status-h">{t("collection")}</h2>
            {survey.status === "open" ? (
              <Form method="post">
                <CsrfField />
                <p>{t("closingHint")}</p>
                <button type="submit" name="intent" value="close" className="danger">
                  {t("close")}
                </button>
              </Form>
            ) : (
              <Form method="post">
                <CsrfField />
                <button type="submit" name="intent" value="reopen" className="secondary">
                  {t("reopen")}
                </button>
              </Form>
            )}
            {survey.hasDraft && published ? (
              <Form method="post" className="add-form">
                <CsrfField />
                <button type="submit" name="intent" value="discard-draft" className="danger small">
                  {t("discardDraft")}
                </button>
              </Form>
            ) : null}
          </aside>
        ) : null}
      </div>
    </>
  );
}
