// First run: with no account yet, the person who can read the server's console creates the first
// administrator here with the one-time setup code printed there (or runs `npm run create-admin`).
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, sessionCookie } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { countUsers } from "~/models/users.server";
import { createSession, SESSION_COOKIE_MAX_AGE_SECONDS } from "~/models/sessions.server";
import { checkNewPassword } from "~/models/passwords.server";
import { createFirstAdministrator } from "~/models/setup-code.server";
import { MIN_PASSWORD_LENGTH } from "~/models/password-rules";
import { CsrfField, Field, Notice } from "~/ui/forms";
import { wordsFor } from "~/i18n/staff.server";
import { setup as setupWords, type SetupWords } from "~/i18n/staff/setup";
import { passwords } from "~/i18n/staff/passwords";
import { translator, type Translate } from "~/i18n/core";
import { useWords } from "~/i18n/staff";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.words.pageTitle ?? "Set up" }];

// The form speaks the browser's language (nobody is signed in yet): made per request with its words.
const setupSchema = (t: Translate<SetupWords>, tp: Parameters<typeof checkNewPassword>[2]) =>
  z
    .object({
      setupCode: z.string().trim().min(1, t("enterCode")),
      displayName: z.string().trim().min(1, t("enterName")).max(120, t("tooLong", { max: 120 })),
      email: z.string().trim().email(t("enterEmail")),
      password: z.string(),
    })
    .superRefine(checkNewPassword("password", (v) => [v.email, v.displayName], tp));

export async function loader({ request, context }: LoaderFunctionArgs) {
  if ((await countUsers(context.db)) > 0) throw redirect("/login");
  const { locale, words } = await wordsFor(context.db, request, null, setupWords);
  return { words, passwordHint: translator(locale, passwords[locale], passwords.en)("hint", { min: MIN_PASSWORD_LENGTH }) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  if ((await countUsers(context.db)) > 0) throw redirect("/login");
  const { locale, t } = await wordsFor(context.db, request, null, setupWords);
  const parsed = parseForm(setupSchema(t, translator(locale, passwords[locale], passwords.en)), form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const { setupCode, ...account } = parsed.data;
  const outcome = await createFirstAdministrator(context.db, setupCode, account);
  if (!outcome.ok) {
    if (outcome.reason === "done") throw redirect("/login");
    const errors = {
      setupCode: t("wrongCode"),
    };
    return data({ errors, values: parsed.values }, { status: 403 });
  }
  const cookie = await createSession(context.db, outcome.user.id);
  return redirect("/admin", { headers: { "Set-Cookie": sessionCookie(request, cookie, SESSION_COOKIE_MAX_AGE_SECONDS) } });
}

export default function Setup() {
  const { words, passwordHint } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result?.values ?? {};
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>{t("heading")}</h1>
        <p className="lede">{t("lede")}</p>
        <Notice kind="info">
          <CodeNotice text={t("codeNotice")} />
        </Notice>
        <Form method="post" noValidate>
          <CsrfField />
          <Field
            label={t("setupCode")}
            name="setupCode"
            defaultValue={values.setupCode}
            error={errors.setupCode}
            hint={t("setupCodeHint")}
            autoComplete="off"
            required
          />
          <Field label={t("yourName")} name="displayName" defaultValue={values.displayName} error={errors.displayName} autoComplete="name" required />
          <Field label={t("email")} name="email" type="email" defaultValue={values.email} error={errors.email} autoComplete="email" required />
          <Field
            label={t("password")}
            name="password"
            type="password"
            error={errors.password}
            hint={passwordHint}
            autoComplete="new-password"
            required
          />
          <button type="submit" className="primary">
            {t("create")}
          </button>
        </Form>
      </div>
    </div>
  );
}

/** The notice with its two commands set as code, wherever the language puts them in the sentence. */
function CodeNotice({ text }: { text: string }) {
  const code = { "{start}": "npm start", "{createAdmin}": "npm run create-admin" } as Record<string, string>;
  return (
    <>
      {text.split(/(\{start\}|\{createAdmin\})/).map((part, i) => (code[part] ? <code key={i}>{code[part]}</code> : part))}
    </>
  );
}
