// Focus-group sessions of a programme's surveys: when, where, which group, on which tablet and run by whom, how many took part,
// and what the facilitator noted.
import { Link, useLoaderData } from "@remix-run/react";
import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requireViewer } from "~/auth.server";
import { getProgramme } from "~/models/programmes.server";
import { listSurveys } from "~/models/surveys.server";
import { listSessions } from "~/models/sessions-fg.server";
import dashboardStylesHref from "~/ui/dashboard/dashboard.css?url";
import { refuse } from "~/refusal.server";
import { wordsFor } from "~/i18n/staff.server";
import { sessions as sessionsWords } from "~/i18n/staff/sessions";
import { useWords } from "~/i18n/staff";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.pageTitle.replace("{name}", data.programme.name) : "Sessions" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const programme = await getProgramme(context.db, viewer, params.programmeId!);
  if (!programme) throw refuse("refused.noProgramme", 404);
  const surveys = await listSurveys(context.db, viewer, programme.id);
  const sessions = await listSessions(context.db, surveys.map((s) => s.id));
  const { words } = await wordsFor(context.db, request, viewer.id, sessionsWords);
  return { programme: { id: programme.id, name: programme.name }, sessions, words };
}

export default function Sessions() {
  const { programme, sessions, words } = useLoaderData<typeof loader>();
  const t = useWords(words);
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/">{t("programmes")}</Link> › <Link to={`/programmes/${programme.id}`}>{programme.name}</Link> › <Link to={`/programmes/${programme.id}/dashboard`}>{t("dashboard")}</Link> ›
      </p>
      <h1>{t("heading")}</h1>
      <p className="lede">{t("lede")}</p>
      {sessions.length === 0 ? (
        <p className="empty">{t("none")}</p>
      ) : (
        <div className="table-scroll card">
          <table className="data-table">
            <caption>{t("caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("date")}</th>
                <th scope="col">{t("community")}</th>
                <th scope="col">{t("round")}</th>
                <th scope="col">{t("group")}</th>
                <th scope="col">{t("tablet")}</th>
                <th scope="col">{t("facilitator")}</th>
                <th scope="col">{t("participants")}</th>
                <th scope="col">{t("responses")}</th>
                <th scope="col">{t("refusals")}</th>
                <th scope="col">{t("notes")}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.heldOn}</th>
                  <td>{s.communityName ?? "—"}</td>
                  <td>{s.roundName ?? t("byDate")}</td>
                  <td>{s.groupDescription || "—"}</td>
                  <td data-col="device">{s.deviceName ?? "—"}</td>
                  <td data-col="facilitator">{s.facilitatorName ?? "—"}</td>
                  <td>{s.participantCount ?? "—"}</td>
                  <td>{s.responses}</td>
                  <td>{s.refusals}</td>
                  <td>{s.notes || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
