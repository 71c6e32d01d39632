// The web app manifest that makes a collection link installable as an app: standalone, its own icon,
// opening straight on the link it was installed from. Plain data, served by routes/manifest[.webmanifest].
export const THEME_COLOUR = "#0f5c6e";
export const BACKGROUND_COLOUR = "#f6f8f9";

/** A collection link's token or short code as it may appear in a URL; anything else is not a link. */
const LINK_PATH = /^[A-Za-z0-9_-]{1,64}$/;

export function manifestHref(token: string): string {
  return `/manifest.webmanifest?link=${encodeURIComponent(token)}`;
}

/**
 * With a link: the collector app for that link (scope /c/, so every link opened in it stays in the app).
 * Without: the staff app, opening on the programmes page.
 */
export function webManifest(link: string | null) {
  const collector = link !== null && LINK_PATH.test(link);
  const start = collector ? `/c/${link}` : "/";
  return {
    id: start,
    name: collector ? "Safety survey" : "Safety perception surveys",
    short_name: "Survey",
    description: "Community safety perception surveys, answered on a tablet or phone, offline too.",
    start_url: start,
    scope: collector ? "/c/" : "/",
    display: "standalone",
    orientation: "any",
    theme_color: THEME_COLOUR,
    background_color: BACKGROUND_COLOUR,
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
