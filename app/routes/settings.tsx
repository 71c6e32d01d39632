// The signed-in person's own settings: name, password, the staff pages' language, personal API tokens.
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, requireSession } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/api-tokens.server";
import { findUserByEmail, setPassword, updateDisplayName } from "~/models/users.server";
import { checkNewPassword, verifyPassword } from "~/models/passwords.server";
import { MIN_PASSWORD_LENGTH } from "~/models/password-rules";
import { recordAudit } from "~/models/audit.server";
import { API_SCOPES, DEFAULT_TOKEN_DAYS, TOKEN_LIFETIMES_DAYS, type ApiScope } from "~/models/api-scopes";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";
import { isStaffLocale, setStoredLanguage, storedLanguage, STAFF_LOCALE_NAMES, STAFF_LOCALES, wordsFor } from "~/i18n/staff.server";
import { settings, type SettingsWords } from "~/i18n/staff/settings";
import { passwords } from "~/i18n/staff/passwords";
import { translator, type Translate } from "~/i18n/core";
import { useFormats, useStaffLocale, useWords } from "~/i18n/staff";
import { refuse } from "~/refusal.server";

const SCOPE_WORDS: Record<ApiScope, { long: keyof SettingsWords; short: keyof SettingsWords }> = {
  aggregates: { long: "scopeAggregates", short: "shortAggregates" },
  raw: { long: "scopeRaw", short: "shortRaw" },
  submit: { long: "scopeSubmit", short: "shortSubmit" },
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.words.pageTitle ?? "Settings" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer } = await requireSession(request, context);
  const { locale, words } = await wordsFor(context.db, request, viewer.id, settings);
  return {
    viewer,
    words,
    passwordHint: translator(locale, passwords[locale], passwords.en)("hint", { min: MIN_PASSWORD_LENGTH }),
    language: await storedLanguage(context.db, viewer.id),
    languages: STAFF_LOCALES.map((code) => ({ code, name: STAFF_LOCALE_NAMES[code] })),
    tokens: await listApiTokens(context.db, viewer.id),
  };
}

// The schemas speak the person's language: they are made per request with its words.
const nameSchema = (t: Translate<SettingsWords>) =>
  z.object({ displayName: z.string().trim().min(1, t("nameRequired")).max(120, t("nameTooLong", { max: 120 })) });
const passwordSchema = (viewer: { email: string; displayName: string }, t: Translate<SettingsWords>, tp: Parameters<typeof checkNewPassword>[2]) =>
  z
    .object({ current: z.string().min(1, t("currentRequired")), password: z.string() })
    .superRefine(checkNewPassword("password", () => [viewer.email, viewer.displayName], tp));
const tokenSchema = (t: Translate<SettingsWords>) =>
  z.object({
    name: z.string().trim().min(1, t("tokenNameRequired")).max(80, t("tokenNameTooLong", { max: 80 })),
    days: z.coerce
      .number()
      .refine((d) => (TOKEN_LIFETIMES_DAYS as readonly number[]).includes(d), t("daysInvalid"))
      .default(DEFAULT_TOKEN_DAYS),
  });

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, sessionId } = await requireSession(request, context);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  if (intent === "language") {
    // Saved first, so the reply (and its words) is already in the new language.
    const chosen = String(form.get("language") ?? "");
    if (chosen !== "" && !isStaffLocale(chosen)) {
      const { t } = await wordsFor(context.db, request, viewer.id, settings);
      return data({ intent, errors: { language: t("languageUnknown") } }, { status: 400 });
    }
    await setStoredLanguage(context.db, viewer.id, isStaffLocale(chosen) ? chosen : null);
    const { t } = await wordsFor(context.db, request, viewer.id, settings);
    return { intent, ok: t("languageSaved") };
  }
  const { locale, t } = await wordsFor(context.db, request, viewer.id, settings);
  if (intent === "rename") {
    const parsed = parseForm(nameSchema(t), form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
    await updateDisplayName(context.db, viewer.id, parsed.data.displayName);
    return { intent, ok: t("nameSaved") };
  }
  if (intent === "password") {
    const parsed = parseForm(passwordSchema(viewer, t, translator(locale, passwords[locale], passwords.en)), form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
    const user = await findUserByEmail(context.db, viewer.email);
    if (!user || !(await verifyPassword(user.password_hash, parsed.data.current)))
      return data({ intent, errors: { current: t("notCurrent") } }, { status: 400 });
    await setPassword(context.db, viewer.id, parsed.data.password, sessionId);
    return { intent, ok: t("passwordChanged") };
  }
  if (intent === "create-token") {
    const parsed = parseForm(tokenSchema(t), form);
    // Checkboxes send one value each; parseForm keeps one value per name, so they are read here.
    const scopes = form.getAll("scopes").map(String);
    const unknown = scopes.find((s) => !(API_SCOPES as readonly string[]).includes(s));
    const errors = { ...(parsed.ok ? {} : parsed.errors) };
    if (unknown !== undefined) errors.scopes = t("unknownScope", { scope: unknown });
    else if (scopes.length === 0) errors.scopes = t("noScope");
    if (!parsed.ok || Object.keys(errors).length) return data({ intent, errors }, { status: 400 });
    const made = await createApiToken(context.db, viewer.id, parsed.data.name, { scopes: scopes as ApiScope[], days: parsed.data.days });
    await recordAudit(context.db, viewer, {
      action: "token.create",
      target: `token "${parsed.data.name}"`,
      details: { tokenId: made.id, scopes: made.scopes, expiresAt: made.expiresAt },
    });
    return { intent, ok: t("tokenCreated"), token: made.token };
  }
  if (intent === "revoke-token") {
    const tokenId = String(form.get("tokenId"));
    if (await revokeApiToken(context.db, viewer.id, tokenId))
      await recordAudit(context.db, viewer, { action: "token.revoke", target: `token ${tokenId}`, details: { tokenId } });
    return { intent, ok: t("tokenRevoked") };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

export default function Settings() {
  const { viewer, tokens, words, passwordHint, language, languages } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const { locale } = useStaffLocale();
  const format = useFormats();
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const { errors } = formFeedback(result);
  return (
    <>
      <h1>{t("heading")}</h1>
      <p className="lede">{viewer.email}</p>
      {result && "ok" in result && !("token" in result) ? <Notice kind="success">{result.ok}</Notice> : null}
      {result && "token" in result ? (
        <Notice kind="success">
          <strong>{t("copyNow")}</strong>
          <code className="secret" data-testid="new-token">
            {result.token}
          </code>
        </Notice>
      ) : null}
      <div className="split">
        <section className="card" aria-labelledby="tokens-h">
          <h2 id="tokens-h">{t("tokensHeading")}</h2>
          <p className="muted">{t("tokensIntro")}</p>
          <p>
            <code dir="ltr">Authorization: Bearer &lt;token&gt;</code>
          </p>
          <p className="muted">{t("tokensLimits")}</p>
          {tokens.length === 0 ? (
            <p className="empty">{t("noTokens")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t("colName")}</th>
                    <th scope="col">{t("colPrefix")}</th>
                    <th scope="col">{t("colScopes")}</th>
                    <th scope="col">{t("colExpires")}</th>
                    <th scope="col">{t("colLastUsed")}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t("colAction")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((token) => (
                    <tr key={token.id}>
                      <td>{token.name}</td>
                      <td>
                        <code dir="ltr">{token.prefix}…</code>
                      </td>
                      <td>{new Intl.ListFormat(locale, { type: "conjunction" }).format(token.scopes.map((s) => t(SCOPE_WORDS[s as ApiScope]?.short ?? "shortAggregates")))}</td>
                      <td>{token.expiresAt ? format.date(token.expiresAt) : t("never")}</td>
                      <td>{token.lastUsedAt ? format.dateTime(token.lastUsedAt) : t("never")}</td>
                      <td>
                        {token.revokedAt ? (
                          <span className="tag off">{t("revoked")}</span>
                        ) : (
                          <Form key={resetKey} method="post" className="inline">
                            <CsrfField />
                            <input type="hidden" name="intent" value="revoke-token" />
                            <input type="hidden" name="tokenId" value={token.id} />
                            <button type="submit" className="danger small" aria-label={t("revokeLabel", { name: token.name })}>
                              {t("revoke")}
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
            <Field label={t("newTokenName")} name="name" error={errors.name} hint={t("newTokenHint")} />
            <fieldset className={`field${errors.scopes ? " has-error" : ""}`} aria-describedby={errors.scopes ? "f-scopes-error" : undefined}>
              <legend>{t("mayDo")}</legend>
              {API_SCOPES.map((scope) => (
                <div className="field checkbox" key={scope}>
                  <label>
                    <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "aggregates"} /> {t(SCOPE_WORDS[scope].long)}
                  </label>
                </div>
              ))}
              {errors.scopes ? (
                <p className="error" id="f-scopes-error" role="alert">
                  {errors.scopes}
                </p>
              ) : null}
            </fieldset>
            <Field label={t("worksFor")} name="days" error={errors.days}>
              <select id="f-days" name="days" defaultValue={String(DEFAULT_TOKEN_DAYS)}>
                {TOKEN_LIFETIMES_DAYS.map((d) => (
                  <option key={d} value={d}>
                    {d === 365 ? t("oneYear") : t("days", { n: d })}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit" className="primary">
              {t("createToken")}
            </button>
          </Form>
        </section>
        <aside>
          <section className="card" aria-labelledby="language-h">
            <h2 id="language-h">{t("languageHeading")}</h2>
            <Form key={resetKey} method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="language" />
              <Field label={t("languageLabel")} name="language" error={errors.language}>
                <select id="f-language" name="language" defaultValue={language ?? ""}>
                  <option value="">{t("languageBrowser")}</option>
                  {languages.map((l) => (
                    <option key={l.code} value={l.code} lang={l.code}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </Field>
              <button type="submit" className="secondary">
                {t("saveLanguage")}
              </button>
            </Form>
          </section>
          <section className="card" aria-labelledby="name-h">
            <h2 id="name-h">{t("nameHeading")}</h2>
            <Form key={resetKey} method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="rename" />
              <Field label={t("displayName")} name="displayName" defaultValue={viewer.displayName} error={errors.displayName} />
              <button type="submit" className="secondary">
                {t("saveName")}
              </button>
            </Form>
          </section>
          <section className="card" aria-labelledby="password-h">
            <h2 id="password-h">{t("passwordHeading")}</h2>
            <Form key={resetKey} method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="password" />
              <Field label={t("currentPassword")} name="current" type="password" error={errors.current} autoComplete="current-password" />
              <Field label={t("newPassword")} name="password" type="password" error={errors.password} autoComplete="new-password" hint={passwordHint} />
              <button type="submit" className="secondary">
                {t("changePassword")}
              </button>
            </Form>
          </section>
        </aside>
      </div>
    </>
  );
}
