// Administration: every programme and every account, and forms to create both.
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, requireAdmin } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { createProgramme, listProgrammes } from "~/models/programmes.server";
import { recordAudit } from "~/models/audit.server";
import { createUser, EmailTakenError, listUsers } from "~/models/users.server";
import { MIN_PASSWORD_LENGTH } from "~/models/password-rules";
import { checkNewPassword } from "~/models/passwords.server";
import { MIN_CELL_SIZE_FLOOR, programmeSchema } from "~/models/programme-forms";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";
import { refuse } from "~/refusal.server";
import { wordsFor } from "~/i18n/staff.server";
import { admin as adminWords, type AdminWords } from "~/i18n/staff/admin";
import { passwords } from "~/i18n/staff/passwords";
import { translator, type Translate } from "~/i18n/core";
import { useWords } from "~/i18n/staff";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.words.pageTitle ?? "Administration" }];

// The forms speak the person's language: made per request with its words.
const userSchema = (t: Translate<AdminWords>, tp: Parameters<typeof checkNewPassword>[2]) =>
  z
    .object({
      displayName: z.string().trim().min(1, t("enterName")).max(120, t("tooLong", { max: 120 })),
      email: z.string().trim().email(t("enterEmail")),
      password: z.string(),
      isAdmin: z.literal("on").optional(),
    })
    .superRefine(checkNewPassword("password", (v) => [v.email, v.displayName], tp));
const programmeFormOf = (t: Translate<AdminWords>) =>
  programmeSchema({ name: t("enterProgrammeName"), wholeNumber: t("wholeNumber"), floor: t("cellFloor", { floor: MIN_CELL_SIZE_FLOOR }), max: t("cellMax") });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer } = await requireAdmin(request, context);
  const [programmes, users] = await Promise.all([listProgrammes(context.db, viewer), listUsers(context.db)]);
  const { locale, words } = await wordsFor(context.db, request, viewer.id, adminWords);
  const passwordHint = translator(locale, passwords[locale], passwords.en)("hint", { min: MIN_PASSWORD_LENGTH });
  return { programmes, users, words, passwordHint };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer } = await requireAdmin(request, context);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  const { locale, t } = await wordsFor(context.db, request, viewer.id, adminWords);
  if (intent === "create-programme") {
    const parsed = parseForm(programmeFormOf(t), form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const id = await createProgramme(context.db, parsed.data);
    await recordAudit(context.db, viewer, { action: "programme.create", programmeId: id, target: `programme “${parsed.data.name}”`, details: { ...parsed.data } });
    return redirect(`/programmes/${id}`);
  }
  if (intent === "create-user") {
    const parsed = parseForm(userSchema(t, translator(locale, passwords[locale], passwords.en)), form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      const user = await createUser(context.db, { ...parsed.data, isAdmin: parsed.data.isAdmin === "on" });
      await recordAudit(context.db, viewer, { action: "user.create", target: user.email, details: { isAdmin: user.isAdmin } });
      return { intent, ok: t("created", { name: user.displayName }) };
    } catch (e) {
      if (e instanceof EmailTakenError)
        return data({ intent, errors: { email: t("emailTaken") }, values: parsed.values }, { status: 400 });
      throw e;
    }
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

export default function Admin() {
  const { programmes, users, words, passwordHint } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const busy = useNavigation().state !== "idle";
  const { errors: pe, values: pv } = formFeedback(result, "create-programme");
  const { errors: ue, values: uv } = formFeedback(result, "create-user");
  return (
    <>
      <h1>{t("heading")}</h1>
      <p className="lede">
        {t("lede")} <Link to="/admin/audit">{t("auditLink")}</Link>
      </p>
      {result && "ok" in result ? <Notice kind="success">{result.ok}</Notice> : null}

      <div className="split">
        <section className="card" aria-labelledby="programmes-h">
          <h2 id="programmes-h">{t("programmes")}</h2>
          {programmes.length === 0 ? (
            <p className="empty">{t("noProgrammes")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t("programme")}</th>
                    <th scope="col">{t("country")}</th>
                    <th scope="col">{t("communities")}</th>
                  </tr>
                </thead>
                <tbody>
                  {programmes.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={`/programmes/${p.id}`}>{p.name}</Link>
                      </td>
                      <td>{p.country || "—"}</td>
                      <td>{p.communityCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="card" aria-labelledby="new-programme-h">
          <h2 id="new-programme-h">{t("newProgramme")}</h2>
          <Form key={resetKey} method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="create-programme" />
            <Field label={t("name")} name="name" defaultValue={pv.name} error={pe.name} required />
            <Field label={t("country")} name="country" defaultValue={pv.country} error={pe.country} />
            <Field label={t("description")} name="description" error={pe.description}>
              <textarea id="f-description" name="description" defaultValue={pv.description} rows={3} />
            </Field>
            <Field
              label={t("minCellSize")}
              name="minCellSize"
              type="number"
              min={3}
              max={100}
              defaultValue={pv.minCellSize ?? 5}
              error={pe.minCellSize}
              hint={t("minCellSizeHint")}
            />
            <button type="submit" className="primary" disabled={busy}>
              {t("createProgramme")}
            </button>
          </Form>
        </section>
      </div>

      <div className="split">
        <section className="card" aria-labelledby="users-h">
          <h2 id="users-h">{t("people")}</h2>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("name")}</th>
                  <th scope="col">{t("email")}</th>
                  <th scope="col">{t("status")}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id}>
                    <td>
                      <Link to={`/admin/users/${u.id}`}>{u.displayName}</Link>
                    </td>
                    <td>{u.email}</td>
                    <td>
                      {u.isAdmin ? <span className="tag warn">{t("administrator")}</span> : null}{" "}
                      {u.active ? <span className="tag">{t("active")}</span> : <span className="tag off">{t("deactivated")}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card" aria-labelledby="new-user-h">
          <h2 id="new-user-h">{t("newAccount")}</h2>
          <Form key={resetKey} method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="create-user" />
            <Field label={t("name")} name="displayName" defaultValue={uv.displayName} error={ue.displayName} required />
            <Field label={t("email")} name="email" type="email" defaultValue={uv.email} error={ue.email} required autoComplete="off" />
            <Field
              label={t("firstPassword")}
              name="password"
              type="password"
              error={ue.password}
              hint={`${passwordHint} ${t("changeLater")}`}
              autoComplete="new-password"
              required
            />
            <div className="field checkbox">
              <label>
                <input type="checkbox" name="isAdmin" /> {t("siteAdmin")}
              </label>
            </div>
            <button type="submit" className="primary" disabled={busy}>
              {t("createAccount")}
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
