// The signed-in person's own settings: name, password, personal API tokens.
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, requireSession } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/api-tokens.server";
import { findUserByEmail, setPassword, updateDisplayName } from "~/models/users.server";
import { checkNewPassword, verifyPassword } from "~/models/passwords.server";
import { PASSWORD_HINT } from "~/models/password-rules";
import { recordAudit } from "~/models/audit.server";
import { API_SCOPES, DEFAULT_TOKEN_DAYS, SCOPE_LABELS, TOKEN_LIFETIMES_DAYS, type ApiScope } from "~/models/api-scopes";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";

export const meta: MetaFunction = () => [{ title: "Your settings · Safety perception surveys" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer } = await requireSession(request, context);
  return { viewer, tokens: await listApiTokens(context.db, viewer.id) };
}

const NameSchema = z.object({ displayName: z.string().trim().min(1, "Enter your name.").max(120) });
const passwordSchema = (viewer: { email: string; displayName: string }) =>
  z
    .object({ current: z.string().min(1, "Enter your current password."), password: z.string() })
    .superRefine(checkNewPassword("password", () => [viewer.email, viewer.displayName]));
const TokenSchema = z.object({
  name: z.string().trim().min(1, "Name the token after where it will be used.").max(80),
  days: z.coerce
    .number()
    .refine((d) => (TOKEN_LIFETIMES_DAYS as readonly number[]).includes(d), "Choose how long the token works.")
    .default(DEFAULT_TOKEN_DAYS),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, sessionId } = await requireSession(request, context);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  if (intent === "rename") {
    const parsed = parseForm(NameSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
    await updateDisplayName(context.db, viewer.id, parsed.data.displayName);
    return { intent, ok: "Name saved." };
  }
  if (intent === "password") {
    const parsed = parseForm(passwordSchema(viewer), form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
    const user = await findUserByEmail(context.db, viewer.email);
    if (!user || !(await verifyPassword(user.password_hash, parsed.data.current)))
      return data({ intent, errors: { current: "This is not your current password." } }, { status: 400 });
    await setPassword(context.db, viewer.id, parsed.data.password, sessionId);
    return { intent, ok: "Password changed. You were signed out on your other devices." };
  }
  if (intent === "create-token") {
    const parsed = parseForm(TokenSchema, form);
    // Checkboxes send one value each; parseForm keeps one value per name, so they are read here.
    const scopes = form.getAll("scopes").map(String);
    const unknown = scopes.find((s) => !(API_SCOPES as readonly string[]).includes(s));
    const errors = { ...(parsed.ok ? {} : parsed.errors) };
    if (unknown !== undefined) errors.scopes = `There is no scope "${unknown}".`;
    else if (scopes.length === 0) errors.scopes = "Choose at least one thing the token may do.";
    if (!parsed.ok || Object.keys(errors).length) return data({ intent, errors }, { status: 400 });
    const made = await createApiToken(context.db, viewer.id, parsed.data.name, { scopes: scopes as ApiScope[], days: parsed.data.days });
    await recordAudit(context.db, viewer, {
      action: "token.create",
      target: `token "${parsed.data.name}"`,
      details: { tokenId: made.id, scopes: made.scopes, expiresAt: made.expiresAt },
    });
    return { intent, ok: "Token created.", token: made.token };
  }
  if (intent === "revoke-token") {
    const tokenId = String(form.get("tokenId"));
    if (await revokeApiToken(context.db, viewer.id, tokenId))
      await recordAudit(context.db, viewer, { action: "token.revoke", target: `token ${tokenId}`, details: { tokenId } });
    return { intent, ok: "Token revoked: it stops working at once." };
  }
  throw data({ message: `Unknown action "${String(intent)}".` }, { status: 400 });
}

export default function Settings() {
  const { viewer, tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const { errors } = formFeedback(result);
  return (
    <>
      <h1>Your settings</h1>
      <p className="lede">{viewer.email}</p>
      {result && "ok" in result && !("token" in result) ? <Notice kind="success">{result.ok}</Notice> : null}
      {result && "token" in result ? (
        <Notice kind="success">
          <strong>Copy this token now: it will not be shown again.</strong>
          <code className="secret" data-testid="new-token">
            {result.token}
          </code>
        </Notice>
      ) : null}
      <div className="split">
        <section className="card" aria-labelledby="tokens-h">
          <h2 id="tokens-h">API tokens</h2>
          <p className="muted">
            For M&amp;E systems and scripts: send <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1/…</code>.
            A token can do only what you chose when you made it (and never more than you can), until it expires.
          </p>
          {tokens.length === 0 ? (
            <p className="empty">No tokens yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Starts with</th>
                    <th scope="col">May</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span className="visually-hidden">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((t) => (
                    <tr key={t.id}>
                      <td>{t.name}</td>
                      <td>
                        <code>{t.prefix}…</code>
                      </td>
                      <td>{t.scopes.join(", ")}</td>
                      <td>{t.expiresAt ? new Date(t.expiresAt).toLocaleDateString("en-GB") : "never"}</td>
                      <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString("en-GB") : "never"}</td>
                      <td>
                        {t.revokedAt ? (
                          <span className="tag off">revoked</span>
                        ) : (
                          <Form key={resetKey} method="post" className="inline">
                            <CsrfField />
                            <input type="hidden" name="intent" value="revoke-token" />
                            <input type="hidden" name="tokenId" value={t.id} />
                            <button type="submit" className="danger small" aria-label={`Revoke ${t.name}`}>
                              Revoke
                            </button>
                          </Form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Form key={resetKey} method="post" className="add-form">
            <CsrfField />
            <input type="hidden" name="intent" value="create-token" />
            <Field label="New token name" name="name" error={errors.name} hint="For example: “Donor M&E dashboard”." />
            <fieldset className={`field${errors.scopes ? " has-error" : ""}`} aria-describedby={errors.scopes ? "f-scopes-error" : undefined}>
              <legend>What it may do</legend>
              {API_SCOPES.map((scope) => (
                <div className="field checkbox" key={scope}>
                  <label>
                    <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "aggregates"} /> {SCOPE_LABELS[scope]}
                  </label>
                </div>
              ))}
              {errors.scopes ? (
                <p className="error" id="f-scopes-error" role="alert">
                  {errors.scopes}
                </p>
              ) : null}
            </fieldset>
            <Field label="Works for" name="days" error={errors.days}>
              <select id="f-days" name="days" defaultValue={String(DEFAULT_TOKEN_DAYS)}>
                {TOKEN_LIFETIMES_DAYS.map((d) => (
                  <option key={d} value={d}>
                    {d === 365 ? "1 year" : `${d} days`}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit" className="primary">
              Create token
            </button>
          </Form>
        </section>
        <aside>
          <section className="card" aria-labelledby="name-h">
            <h2 id="name-h">Name</h2>
            <Form key={resetKey} method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="rename" />
              <Field label="Display name" name="displayName" defaultValue={viewer.displayName} error={errors.displayName} />
              <button type="submit" className="secondary">
                Save name
              </button>
            </Form>
          </section>
          <section className="card" aria-labelledby="password-h">
            <h2 id="password-h">Password</h2>
            <Form key={resetKey} method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="password" />
              <Field label="Current password" name="current" type="password" error={errors.current} autoComplete="current-password" />
              <Field label="New password" name="password" type="password" error={errors.password} autoComplete="new-password" hint={PASSWORD_HINT} />
              <button type="submit" className="secondary">
                Change password
              </button>
            </Form>
          </section>
        </aside>
      </div>
    </>
  );
}
