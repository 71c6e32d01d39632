import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { redirect, type LoaderFunctionArgs, type LinksFunction, type MetaFunction } from "@remix-run/node";
import { csrfToken, getSession } from "./auth.server";
import { countUsers } from "./models/users.server";
import { wordsFor } from "./i18n/staff.server";
import { common, commonEn } from "./i18n/staff/common";
import { translator } from "./i18n/core";
import { CsrfField } from "./ui/forms";
import stylesHref from "./styles.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Safety perception surveys" }];

/** Pages anyone may open without signing in. */
const PUBLIC_PATHS = [/^\/login$/, /^\/setup$/, /^\/c\//];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const session = await getSession(request, context);
  if (!session && url.pathname !== "/setup" && (await countUsers(context.db)) === 0) throw redirect("/setup");
  if (!session && !PUBLIC_PATHS.some((p) => p.test(url.pathname))) {
    throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  // Collection pages speak the survey's languages (the respondent words): no staff words for them.
  const staff = url.pathname.startsWith("/c/") ? null : await wordsFor(context.db, request, session?.viewer.id ?? null, common);
  return {
    language: staff ? { locale: staff.locale, dir: staff.dir, common: staff.words } : null,
    viewer: session?.viewer ?? null,
    csrf: await csrfToken(request, context),
    nonce: context.cspNonce,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

/** The frame's words in the page's language (English before the root loader has run). */
function useCommon() {
  const data = useRouteLoaderData<typeof loader>("root");
  const language = data?.language;
  const words = (language?.common ?? commonEn) as typeof commonEn & Record<string, string>;
  return Object.assign(translator(language?.locale ?? "en", words, commonEn), { has: (key: string) => key in words });
}

function Header() {
  const data = useRouteLoaderData<typeof loader>("root");
  const viewer = data?.viewer;
  const t = useCommon();
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        <span className="brand-mark" aria-hidden="true">◎</span> {t("brand")}
      </Link>
      {viewer ? (
        <nav aria-label={t("navLabel")}>
          <NavLink to="/" end>
            {t("programmes")}
          </NavLink>
          {viewer.isAdmin ? <NavLink to="/admin">{t("administration")}</NavLink> : null}
          <NavLink to="/settings">{viewer.displayName}</NavLink>
          <Form method="post" action="/logout" className="inline">
            <CsrfField />
            <button type="submit" className="link-button">
              {t("signOut")}
            </button>
          </Form>
        </nav>
      ) : null}
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = data?.nonce;
  // Collection pages set the respondent's language on their own root element.
  return (
    <html lang={data?.language?.locale ?? "en"} dir={data?.language?.dir ?? "ltr"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  // Collection pages (/c/…) belong to respondents: no staff header, no page frame.
  if (useLocation().pathname.startsWith("/c/")) return <Outlet />;
  return (
    <>
      <Header />
      <main className="page">
        <Outlet />
      </main>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  const t = useCommon();
  let title = t("errorTitle");
  let message = t("errorMessage");
  if (isRouteErrorResponse(error)) {
    title = error.status === 404 ? t("notFound") : error.status === 403 ? t("notAllowed") : t("errorStatus", { status: String(error.status) });
    const body = error.data as { code?: string; params?: Record<string, string>; message?: string } | string | undefined;
    // A refusal's code (refusal.server.ts) is said in the page's language (its words come with the
    // frame's); without them, its English message as it came.
    const coded = typeof body === "object" && body?.code && t.has(body.code) ? t(body.code as Parameters<typeof t>[0], body.params) : null;
    message = coded ?? (typeof body === "string" ? body : body?.message ?? (error.status === 404 ? t("nothingHere") : message));
  }
  return (
    <main className="page narrow">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t("backHome")}</Link>
        {location.pathname !== "/" ? null : null}
      </p>
    </main>
  );
}
