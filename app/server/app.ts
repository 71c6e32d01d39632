// The HTTP server around Remix: security headers, Origin checks, the health check and static files.
import { randomBytes } from "node:crypto";
import path from "node:path";
import express, { type Request as ExpressRequest, type Response as ExpressResponse, type NextFunction } from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { ViteDevServer } from "vite";
import type { Db } from "~db/connect";
import { ping } from "~db/connect";
import type { AppContext } from "~/context";
import { CSRF_COOKIE } from "~/auth.server";
import { startImportRunner, type ImportRunner } from "~/exchange/import-jobs.server";

export interface AppOptions {
  database: Db;
  /** The production server build, or a Vite dev server that loads it on demand. */
  build?: ServerBuild;
  vite?: ViteDevServer;
  clientDir?: string;
  trustProxy?: boolean;
  /** Run the database's import jobs in this server (default: yes). */
  importJobs?: boolean;
}

/** The import-job runner a server started (stop it before closing the database). */
export const importRunnerOf = (app: express.Express): ImportRunner | undefined => app.locals.importRunner as ImportRunner | undefined;

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    dev ? "script-src 'self' 'unsafe-inline'" : `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws:" : "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The request's own origin, as the browser would write it in the Origin header. */
function ownOrigin(req: ExpressRequest): string {
  return `${req.protocol}://${req.get("host")}`;
}

/**
 * Refuses state-changing requests from other sites. Browsers always send Origin on such requests;
 * its absence is accepted only from non-browser API clients that authenticate with a bearer token
 * or a collection link's own token.
 */
export function originGuard(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  if (!UNSAFE_METHODS.has(req.method)) return next();
  const origin = req.get("origin");
  const apiClient = /^\/api\/v1\//.test(req.path) && (req.get("authorization") || req.path.startsWith("/api/v1/links/"));
  if (origin ? origin === ownOrigin(req) : apiClient) return next();
  if (origin && req.path.startsWith("/api/v1/links/")) return next(); // tokens in the URL are the credential
  res
    .status(403)
    .json({ error: { status: 403, message: "Request refused: it did not come from this site (Origin header missing or foreign)." } });
}

export function createApp(options: AppOptions) {
  const { database } = options;
  const dev = Boolean(options.vite);
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", true);
  if (options.importJobs !== false) app.locals.importRunner = startImportRunner(database.db);
  app.use(compression());

  app.use((req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, dev));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "geolocation=(), camera=(), microphone=()");
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000");
    // Every browser gets an anonymous CSRF cookie, used by forms before sign-in.
    if (!/(?:^|;\s*)sps_csrf=/.test(req.headers.cookie ?? "")) {
      const value = randomBytes(24).toString("base64url");
      res.append(
        "Set-Cookie",
        `${CSRF_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax${req.secure ? "; Secure" : ""}`,
      );
      req.headers.cookie = req.headers.cookie ? `${req.headers.cookie}; ${CSRF_COOKIE}=${value}` : `${CSRF_COOKIE}=${value}`;
    }
    next();
  });

  app.get("/healthz", async (_req, res) => {
    const ok = await ping(database.db);
    res.setHeader("Cache-Control", "no-store");
    res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "unavailable", database: database.dialect });
  });

  app.use(originGuard);

  if (options.vite) {
    app.use(options.vite.middlewares);
  } else {
    const clientDir = options.clientDir ?? path.resolve("build/client");
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(clientDir, { maxAge: "1h" }));
  }

  const getLoadContext = (req: ExpressRequest, res: ExpressResponse): AppContext => ({
    db: database.db,
    dialect: database.dialect,
    cspNonce: res.locals.cspNonce as string,
    clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
  });

  const vite = options.vite;
  app.all(
    "*",
    createRequestHandler({
      build: vite
        ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
        : (options.build as ServerBuild),
      getLoadContext,
    }),
  );
  return app;
}
