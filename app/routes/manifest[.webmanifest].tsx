// GET /manifest.webmanifest[?link={token}] — the web app manifest (see collector/manifest.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { webManifest } from "~/collector/manifest";

export function loader({ request }: LoaderFunctionArgs) {
  const link = new URL(request.url).searchParams.get("link");
  return new Response(JSON.stringify(webManifest(link)), {
    headers: { "Content-Type": "application/manifest+json; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
