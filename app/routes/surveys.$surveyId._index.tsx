// A survey's overview: responses received, versions, draft, status, and the ways to edit, preview,
// publish and share it.
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/auth.server";
import { requireSurvey } from "~/survey-access.server";
import { canAuthor, discardDraft, setSurveyStatus } from "~/models/surveys.server";
import { getArrivals } from "~/models/arrivals.server";
import { CsrfField, Notice } from "~/ui/forms";
import { ArrivalsPanel } from "~/ui/dashboard/Arrivals";
import arrivalsStylesHref from "~/ui/dashboard/arrivals.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: arrivalsStylesHref }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.survey.title ?? "Survey"} · Safety perception surveys` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!);
  const arrivals = await getArrivals(context.db, viewer, survey.id);
  return { survey, arrivals, canAuthor: canAuthor(survey.role) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const form = await readForm(request, context);
  const intent = form.get("intent");
  if (intent === "close") {
    await setSurveyStatus(context.db, survey.id, "closed");
    return { ok: "The survey is closed: collection links stop accepting responses." };
  }
  if (intent === "reopen") {
    await setSurveyStatus(context.db, survey.id, "open");
    return { ok: "The survey is open again." };
  }
  if (intent === "discard-draft") {
    await discardDraft(context.db, survey.id);
    return { ok: "The draft was discarded; the published version is unchanged." };
  }
  throw data({ message: `Unknown action "${String(intent)}".` }, { status: 400 });
}

export default function SurveyOverview() {
  const { survey, arrivals, canAuthor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const published = survey.latestVersion > 0;
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/">Programmes</Link> › <Link to={`/programmes/${survey.programmeId}`}>{survey.programmeName}</Link> ›
      </p>
      <h1>{survey.title}</h1>
      <p className="lede">
        {published ? `Version ${survey.latestVersion} is published.` : "Not published yet."}{" "}
        {survey.hasDraft ? <span className="tag warn">draft in progress</span> : null}{" "}
        {survey.status === "open" ? <span className="tag">open</span> : <span className="tag off">closed</span>}
      </p>
      {result?.ok ? <Notice kind="success">{result.ok}</Notice> : null}
      <div className="actions page-actions">
        {canAuthor ? (
          <Link to="edit" className="button primary">
            {survey.hasDraft ? "Continue editing" : "Edit (new draft)"}
          </Link>
        ) : null}
        <Link to="preview" className="button secondary">
          Preview
        </Link>
        <Link to="links" className="button secondary">
          Collection links
        </Link>
        <a href={`/surveys/${survey.id}/definition.json`} className="button secondary" download>
          Export JSON
        </a>
        <a href={`/surveys/${survey.id}/form.xlsx`} className="button secondary" download>
          Export XLSForm
        </a>
        {canAuthor ? <Link to="translations" className="button secondary">Translations</Link> : null}
        {canAuthor ? <a href={`/surveys/${survey.id}/voices`} className="button secondary">Recorded voices</a> : null}
        {canAuthor ? <Link to="data" className="button secondary">Data: export, import, exclusions</Link> : null}
        {canAuthor ? <Link to="responses" className="button secondary">Responses: browse and review</Link> : null}
        {published ? (
          <Link to={`/programmes/${survey.programmeId}/dashboard?survey=${survey.id}`} className="button secondary">
            Dashboard
          </Link>
        ) : null}
      </div>
      {arrivals ? <ArrivalsPanel a={arrivals} /> : null}
      <div className="split">
        <section className="card" aria-labelledby="versions-h">
          <h2 id="versions-h">Published versions</h2>
          {survey.versions.length === 0 ? (
            <p className="empty">None yet. Publish the draft from the editor when it is ready.</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Published</th>
                    <th scope="col">By</th>
                    <th scope="col">
                      <span className="visually-hidden">Links</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {survey.versions.map((v) => (
                    <tr key={v.version}>
                      <td>{v.version}</td>
                      <td>{new Date(v.publishedAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}</td>
                      <td>{v.publishedBy}</td>
                      <td>
                        <Link to={`preview?version=${v.version}`}>Preview</Link> ·{" "}
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
          <p className="hint">A published version never changes: every response points at the version it answered.</p>
        </section>
        {canAuthor ? (
          <aside className="card" aria-labelledby="status-h">
            <h2 id="status-h">Collection</h2>
            {survey.status === "open" ? (
              <Form method="post">
                <CsrfField />
                <p>Closing the survey stops every collection link from accepting responses.</p>
                <button type="submit" name="intent" value="close" className="danger">
                  Close survey
                </button>
              </Form>
            ) : (
              <Form method="post">
                <CsrfField />
                <button type="submit" name="intent" value="reopen" className="secondary">
                  Reopen survey
                </button>
              </Form>
            )}
            {survey.hasDraft && published ? (
              <Form method="post" className="add-form">
                <CsrfField />
                <button type="submit" name="intent" value="discard-draft" className="danger small">
                  Discard the draft
                </button>
              </Form>
            ) : null}
          </aside>
        ) : null}
      </div>
    </>
  );
}
