// The collection page behind a link (/c/{token}): the respondent flow on a tablet (kiosk, with
// focus-group sessions and the facilitator's PIN) or a phone (self-response). It works offline once
// opened: the server loader is only the online source; the page's data comes from IndexedDB.
import { useLoaderData } from "@remix-run/react";
import { data, redirect, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import type { ClientLoaderFunctionArgs } from "@remix-run/react";
import { linkBundle } from "~/collector/bundle.server";
import { loadBundle, saveBundle } from "~/collector/store";
import { Collector, readTimings } from "~/collector/Collector";
import collectorStylesHref from "~/collector/collector.css?url";
import { respondentStylesHref } from "~/ui/respondent/styles";
import { manifestHref, THEME_COLOUR } from "~/collector/manifest";
import { readShortCode } from "~/links/short-code";
import { tokenOfShortCode } from "~/models/collection-links.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: respondentStylesHref },
  { rel: "stylesheet", href: collectorStylesHref },
];
// Installable as an app opening on this link (see collector/manifest.ts); iOS reads the apple-* tags.
export const meta: MetaFunction = ({ params }) => [
  { title: "Survey" },
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
  { name: "theme-color", content: THEME_COLOUR },
  { name: "mobile-web-app-capable", content: "yes" },
  { name: "apple-mobile-web-app-capable", content: "yes" },
  { name: "apple-mobile-web-app-title", content: "Survey" },
  { tagName: "link", rel: "manifest", href: manifestHref(params.token!) },
  { tagName: "link", rel: "apple-touch-icon", href: "/icons/apple-touch-icon.png" },
];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  // A short code typed from a poster (/c/ABCD-2345) leads to its link's own address.
  const code = readShortCode(params.token!);
  if (code) {
    const token = await tokenOfShortCode(context.db, code);
    if (token) throw redirect(`/c/${token}${new URL(request.url).search}`);
  }
  try {
    return { ok: true as const, bundle: await linkBundle(params.token!, context) };
  } catch (e) {
    if (!(e instanceof Response)) throw e;
    const body = (await e.json().catch(() => null)) as { error?: { message?: string } } | null;
    // A real error status, so the offline worker keeps its copy of the working page.
    return data({ ok: false as const, status: e.status, message: body?.error?.message ?? "This collection link cannot be used." }, { status: e.status });
  }
}

export async function clientLoader({ params, request, serverLoader }: ClientLoaderFunctionArgs) {
  const token = params.token!;
  let problem: { status: number; message: string } | null = null;
  try {
    const fresh = await serverLoader<typeof loader>();
    if (fresh.ok) await saveBundle(token, fresh.bundle);
    else problem = { status: fresh.status, message: fresh.message };
  } catch (e) {
    if (e instanceof Response) throw e; // a short code's redirect
    // Offline (or the server is unreachable): what this device already has is used below.
  }
  return { token, bundle: await loadBundle(token), problem, timings: readTimings(new URL(request.url)) };
}
clientLoader.hydrate = true as const;

export function HydrateFallback() {
  return (
    <div className="collector-loading" role="status">
      <span className="collector-spinner" aria-hidden="true" />
      Opening the survey…
      <noscript>
        <p>This survey needs JavaScript, which is turned off in this browser.</p>
      </noscript>
    </div>
  );
}

export default function CollectionPage() {
  const d = useLoaderData<typeof clientLoader>();
  if (!d.bundle) {
    return (
      <div className="collector-message">
        <h1>This survey cannot be opened</h1>
        <p>{d.problem?.message ?? "This device is offline and has not opened this link before. Open it once while connected."}</p>
      </div>
    );
  }
  return <Collector token={d.token} bundle={d.bundle} problem={d.problem} timings={d.timings} />;
}
