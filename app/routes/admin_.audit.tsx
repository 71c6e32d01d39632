// The audit log, for administrators: who exported, imported, excluded, restored, published, or
// changed memberships and tokens, and when. Read-only: the app has no way to change it.
import { Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { listAudit } from "~/models/audit.server";
import { AUDIT_ACTIONS } from "~/models/audit-actions";
import { wordsFor } from "~/i18n/staff.server";
import { admin as adminWords } from "~/i18n/staff/admin";
import { useWords } from "~/i18n/staff";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.words.auditTitle ?? "Audit log" }];

// Families in the order their actions are listed: a new action's family appears by itself.
const FAMILIES = [...new Set(AUDIT_ACTIONS.map((a) => a.split(".")[0]))];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer } = await requireAdmin(request, context);
  const url = new URL(request.url);
  const action = url.searchParams.get("action") ?? "";
  const before = Number(url.searchParams.get("before") ?? 0) || undefined;
  const known = FAMILIES.includes(action) || (AUDIT_ACTIONS as readonly string[]).includes(action);
  const entries = await listAudit(context.db, { action: known ? action : undefined, before, limit: 100 });
  const { words } = await wordsFor(context.db, request, viewer.id, adminWords);
  return { entries, action: known ? action : "", words };
}

export default function AuditLog() {
  const { entries, action, words } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const last = entries[entries.length - 1];
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/admin">{t("heading")}</Link> ›
      </p>
      <h1>{t("auditHeading")}</h1>
      <p className="lede">{t("auditLede")}</p>
      <form method="get" className="actions audit-filter">
        <label htmlFor="audit-action">{t("show")}</label>
        <select id="audit-action" name="action" defaultValue={action}>
          <option value="">{t("everything")}</option>
          {FAMILIES.map((f) => (
            <optgroup key={f} label={f}>
              <option value={f}>{t("allOf", { family: f })}</option>
              {AUDIT_ACTIONS.filter((a) => a.startsWith(`${f}.`)).map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <button type="submit" className="secondary small">
          {t("filter")}
        </button>
      </form>
      {entries.length === 0 ? (
        <p className="empty">{action ? t("nothingFor", { action }) : t("nothing")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data audit">
            <thead>
              <tr>
                <th scope="col">{t("when")}</th>
                <th scope="col">{t("who")}</th>
                <th scope="col">{t("action")}</th>
                <th scope="col">{t("what")}</th>
                <th scope="col">{t("details")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{e.at.replace("T", " ").slice(0, 19)}</td>
                  <td>{e.actorName || "—"}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.surveyId ? <Link to={`/surveys/${e.surveyId}`}>{e.target}</Link> : e.target}
                  </td>
                  <td className="details">
                    {Object.entries(e.details)
                      .filter(([, v]) => v !== null && v !== "")
                      .map(([k, v]) => `${k}: ${detailText(v)}`)
                      .join(" · ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {last && entries.length === 100 ? (
        <p>
          <Link to={`?${new URLSearchParams({ ...(action ? { action } : {}), before: String(last.id) })}`}>{t("older")}</Link>
        </p>
      ) : null}
    </>
  );
}

/** A detail as a person reads it: a change as "old → new", anything else as its value. */
function detailText(v: unknown): string {
  if (v && typeof v === "object" && "from" in v && "to" in v) return `${String((v as { from: unknown }).from)} → ${String((v as { to: unknown }).to)}`;
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}
