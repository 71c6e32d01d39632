// One account: deactivate or reactivate, reset the password, administrator flag, programme roles.
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, requireAdmin } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { getUser, setPassword, setUserActive, setUserAdmin } from "~/models/users.server";
import { listProgrammes, removeMembership, setMembership } from "~/models/programmes.server";
import { MIN_PASSWORD_LENGTH } from "~/models/password-rules";
import { checkNewPassword } from "~/models/passwords.server";
import { recordAudit } from "~/models/audit.server";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";
import { refuse } from "~/refusal.server";
import { wordsFor } from "~/i18n/staff.server";
import { admin as adminWords, type AdminWords } from "~/i18n/staff/admin";
import { passwords } from "~/i18n/staff/passwords";
import { translator, type Translate } from "~/i18n/core";
import { useWords } from "~/i18n/staff";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.accountTitle.replace("{name}", data.user.displayName) : "Account" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer } = await requireAdmin(request, context);
  const user = await getUser(context.db, params.userId!);
  if (!user) throw refuse("refused.noAccount", 404);
  const all = await listProgrammes(context.db, viewer);
  const theirs = await listProgrammes(context.db, { ...user, isAdmin: false });
  const { locale, words } = await wordsFor(context.db, request, viewer.id, adminWords);
  const passwordHint = translator(locale, passwords[locale], passwords.en)("hint", { min: MIN_PASSWORD_LENGTH });
  return { user, programmes: all, memberships: theirs, isSelf: viewer.id === user.id, words, passwordHint };
}

const passwordSchema = (user: { email: string; displayName: string }, tp: Parameters<typeof checkNewPassword>[2]) =>
  z.object({ password: z.string() }).superRefine(checkNewPassword("password", () => [user.email, user.displayName], tp));
const roleSchema = (t: Translate<AdminWords>) =>
  z.object({
    programmeId: z.string().min(1, t("chooseProgramme")),
    role: z.enum(["facilitator", "manager"], { message: t("chooseRole") }),
  });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer } = await requireAdmin(request, context);
  const form = await readForm(request, context);
  const user = await getUser(context.db, params.userId!);
  if (!user) throw refuse("refused.noAccount", 404);
  const intent = form.get("intent");
  const self = viewer.id === user.id;
  const { locale, t } = await wordsFor(context.db, request, viewer.id, adminWords);
  switch (intent) {
    case "deactivate":
      if (self) return data({ intent, error: t("notSelfDeactivate") }, { status: 400 });
      await setUserActive(context.db, user.id, false);
      await recordAudit(context.db, viewer, { action: "user.deactivate", target: `user ${user.email}` });
      return { intent, ok: t("deactivatedOk", { name: user.displayName }) };
    case "reactivate":
      await setUserActive(context.db, user.id, true);
      await recordAudit(context.db, viewer, { action: "user.reactivate", target: `user ${user.email}` });
      return { intent, ok: t("reactivatedOk", { name: user.displayName }) };
    case "reset-password": {
      const parsed = parseForm(passwordSchema(user, translator(locale, passwords[locale], passwords.en)), form);
      if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
      await setPassword(context.db, user.id, parsed.data.password);
      await recordAudit(context.db, viewer, { action: "user.password", target: `user ${user.email}` });
      return { intent, ok: t("passwordOk") };
    }
    case "toggle-admin":
      if (self) return data({ intent, error: t("notSelfAdmin") }, { status: 400 });
      await setUserAdmin(context.db, user.id, !user.isAdmin);
      await recordAudit(context.db, viewer, { action: "user.admin", target: `user ${user.email}`, details: { admin: !user.isAdmin } });
      return { intent, ok: user.isAdmin ? t("noLongerAdmin") : t("nowAdmin") };
    case "set-role": {
      const parsed = parseForm(roleSchema(t), form);
      if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
      await setMembership(context.db, { userId: user.id, ...parsed.data });
      await recordAudit(context.db, viewer, { action: "membership.set", programmeId: parsed.data.programmeId, target: `user ${user.email}`, details: { role: parsed.data.role } });
      return { intent, ok: t("membershipOk") };
    }
    case "remove-role":
      await removeMembership(context.db, user.id, String(form.get("programmeId")));
      await recordAudit(context.db, viewer, { action: "membership.remove", programmeId: String(form.get("programmeId")), target: `user ${user.email}` });
      return { intent, ok: t("removedOk") };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

export default function AdminUser() {
  const { user, programmes, memberships, isSelf, words, passwordHint } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const { errors } = formFeedback(result);
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/admin">{t("heading")}</Link> ›
      </p>
      <h1>{user.displayName}</h1>
      <p className="lede">
        {user.email} {user.isAdmin ? <span className="tag warn">{t("administrator")}</span> : null}{" "}
        {user.active ? <span className="tag">{t("active")}</span> : <span className="tag off">{t("deactivated")}</span>}
      </p>
      {result && "ok" in result ? <Notice kind="success">{result.ok}</Notice> : null}
      {result && "error" in result ? <Notice kind="error">{result.error}</Notice> : null}
      <div className="split">
        <section className="card" aria-labelledby="memberships-h">
          <h2 id="memberships-h">{t("programmes")}</h2>
          {memberships.length === 0 ? <p className="empty">{t("notMember")}</p> : null}
          <ul className="member-list">
            {memberships.map((p) => (
              <li key={p.id}>
                <span>
                  <Link to={`/programmes/${p.id}`}>{p.name}</Link> <span className="tag">{p.role === "facilitator" || p.role === "manager" ? t(`role.${p.role}`) : p.role}</span>
                </span>
                <Form key={resetKey} method="post" className="inline">
                  <CsrfField />
                  <input type="hidden" name="intent" value="remove-role" />
                  <input type="hidden" name="programmeId" value={p.id} />
                  <button type="submit" className="danger small" aria-label={t("removeFrom", { name: p.name })}>
                    {t("remove")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
          {programmes.length > 0 ? (
            <Form key={resetKey} method="post">
              <h3>{t("addOrChange")}</h3>
              <CsrfField />
              <input type="hidden" name="intent" value="set-role" />
              <div className="form-row">
                <Field label={t("programme")} name="programmeId" error={errors.programmeId}>
                  <select id="f-programmeId" name="programmeId">
                    {programmes.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t("role")} name="role" error={errors.role}>
                  <select id="f-role" name="role">
                    <option value="facilitator">{t("facilitator")}</option>
                    <option value="manager">{t("manager")}</option>
                  </select>
                </Field>
              </div>
              <button type="submit" className="secondary">
                {t("saveMembership")}
              </button>
            </Form>
          ) : null}
        </section>
        <aside>
          <section className="card" aria-labelledby="password-h">
            <h2 id="password-h">{t("resetPassword")}</h2>
            <Form key={resetKey} method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="reset-password" />
              <Field label={t("newPassword")} name="password" type="password" error={errors.password} autoComplete="new-password" hint={passwordHint} />
              <button type="submit" className="secondary">
                {t("setPassword")}
              </button>
            </Form>
          </section>
          {!isSelf ? (
            <section className="card" aria-labelledby="access-h">
              <h2 id="access-h">{t("access")}</h2>
              <Form key={resetKey} method="post" className="actions">
                <CsrfField />
                {user.active ? (
                  <button type="submit" name="intent" value="deactivate" className="danger">
                    {t("deactivate")}
                  </button>
                ) : (
                  <button type="submit" name="intent" value="reactivate" className="secondary">
                    {t("reactivate")}
                  </button>
                )}
                <button type="submit" name="intent" value="toggle-admin" className="secondary">
                  {user.isAdmin ? t("removeAdmin") : t("makeAdmin")}
                </button>
              </Form>
              <p className="hint">{t("deactivateHint")}</p>
            </section>
          ) : null}
        </aside>
      </div>
    </>
  );
}
