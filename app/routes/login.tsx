import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { data, redirect, type HeadersFunction, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { getSession, readForm, sessionCookie } from "~/auth.server";
import { findUserByEmail, normaliseEmail } from "~/models/users.server";
import { verifyAgainstDecoy, verifyPassword } from "~/models/passwords.server";
import { createSession, SESSION_COOKIE_MAX_AGE_SECONDS } from "~/models/sessions.server";
import { attemptSucceeded, beginAttempt } from "~/models/login-throttle.server";
import { sameOriginPath } from "~/redirects";
import { CsrfField, Field, Notice } from "~/ui/forms";
import { wordsFor } from "~/i18n/staff.server";
import { login } from "~/i18n/staff/login";
import { useWords } from "~/i18n/staff";

// The throttled reply carries Retry-After on full page loads too.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) =>
  actionHeaders.has("Retry-After") ? actionHeaders : loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.words.pageTitle ?? "Sign in" }];

/** Only paths on this site are followed after sign-in. */
const safeNext = (request: Request, next: unknown) => sameOriginPath(typeof next === "string" ? next : null, new URL(request.url).origin);

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getSession(request, context)) throw redirect(safeNext(request, new URL(request.url).searchParams.get("next")));
  return { words: (await wordsFor(context.db, request, null, login)).words };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const email = normaliseEmail(String(form.get("email") ?? ""));
  const password = String(form.get("password") ?? "");
  const next = safeNext(request, form.get("next"));
  const { t } = await wordsFor(context.db, request, null, login);
  if (!email || !password) return data({ error: t("missing"), email }, { status: 400 });
  // No address is longer (RFC 5321); a longer one is not stored as a throttle key.
  if (email.length > 254) return data({ error: t("tooLong"), email: "" }, { status: 400 });

  // Counted before the password is looked at, so parallel guesses are counted too.
  const throttle = await beginAttempt(context.db, email, context.clientAddress);
  if (!throttle.allowed) {
    const minutes = throttle.retryAfterMinutes;
    return data(
      {
        error: t("throttled", { minutes }),
        email,
      },
      { status: 429, headers: { "Retry-After": String(minutes * 60) } },
    );
  }

  const user = await findUserByEmail(context.db, email);
  const valid = user ? await verifyPassword(user.password_hash, password) : (await verifyAgainstDecoy(password), false);
  if (!user || !valid || Number(user.active) !== 1) {
    const message = user && valid ? t("deactivated") : t("wrong");
    return data({ error: message, email }, { status: 401 });
  }
  await attemptSucceeded(context.db, throttle.attemptId, email);
  const cookie = await createSession(context.db, user.id);
  return redirect(next, { headers: { "Set-Cookie": sessionCookie(request, cookie, SESSION_COOKIE_MAX_AGE_SECONDS) } });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useWords(useLoaderData<typeof loader>().words);
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>{t("heading")}</h1>
        <p className="lede">{t("lede")}</p>
        {result?.error ? <Notice kind="error">{result.error}</Notice> : null}
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="next" value={params.get("next") ?? "/"} />
          <Field label={t("email")} name="email" type="email" defaultValue={result?.email} autoComplete="username" required />
          <Field label={t("password")} name="password" type="password" autoComplete="current-password" required />
          <button type="submit" className="primary">
            {t("submit")}
          </button>
        </Form>
        <p className="hint">{t("forgot")}</p>
      </div>
    </div>
  );
}
