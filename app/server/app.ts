// The HTTP server around Remix: security headers, Origin checks, the health check and static files.
import { randomBytes } from "node:crypto";
import path from "node:path";
import express, { type Request as ExpressRequest, type Response as ExpressResponse, type NextFunction } from "express";
import compression from "compression";
import type { ServerBuild } from "@remix-run/node";
import type { ViteDevServer } from "vite";
import type { Db } from "~db/connect";
import type { AppContext } from "~/context";
import { CSRF_COOKIE } from "~/auth.server";
import { remixHandler, sendResponse } from "./remix-handler";
import { healthReport } from "./health";
import { describeFailure, isApiPath, isStorageUnavailable, plainPage, unavailableResponse } from "./failures";
import type { TrustProxy } from "./trust-proxy";
import { startImportRunner, type ImportRunner } from "~/exchange/import-jobs.server";
import { serviceWorkerScript } from "./service-worker";

export interface AppOptions {
  database: Db;
  /** The production server build, or a Vite dev server that loads it on demand. */
  build?: ServerBuild;
  vite?: ViteDevServer;
  clientDir?: string;
  /** Express's `trust proxy`: a hop count or addresses/subnets (see trust-proxy.ts); unset trusts none. */
  trustProxy?: TrustProxy;
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
    // Recorded voices play from the page's own addresses, or from blobs of what the offline copy holds.
    "media-src 'self' blob:",
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

const SESSION_COOKIE_PATTERN = /(?:^|;\s*)(?:__Host-)?sps_session=/;

/**
 * Whatever a route says about caching, a response to a request that carries a session cookie or an
 * API token is never stored by a browser or proxy (`no-store`, set last, as the headers are sent).
 * Mounted after the static files, which stay cacheable.
 */
export function noStoreWhenAuthenticated(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  if (req.get("authorization") || SESSION_COOKIE_PATTERN.test(req.headers.cookie ?? "")) {
    const writeHead = res.writeHead;
    res.writeHead = function (this: ExpressResponse, ...args: Parameters<typeof writeHead>) {
      this.setHeader("Cache-Control", "no-store");
      return writeHead.apply(this, args);
    } as typeof writeHead;
  }
  next();
}

export function createApp(options: AppOptions) {
  const { database } = options;
  const dev = Boolean(options.vite);
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy !== undefined && options.trustProxy !== false) app.set("trust proxy", options.trustProxy);
  if (options.importJobs !== false) app.locals.importRunner = startImportRunner(database.db);
  app.use(compression());

  app.use((req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, dev));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    // The microphone only where a facilitator records a survey's voices.
    res.setHeader("Permissions-Policy", `geolocation=(), camera=(), microphone=${/^\/surveys\/[^/]+\/voices$/.test(req.path) ? "(self)" : "()"}`);
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
    const report = await healthReport(database);
    res.setHeader("Cache-Control", "no-store");
    if (report.status !== "ok") res.setHeader("Retry-After", "30");
    res.status(report.status === "ok" ? 200 : 503).json(report);
  });

  app.use(originGuard);

  if (options.vite) {
    app.use(options.vite.middlewares);
  } else {
    const clientDir = options.clientDir ?? path.resolve("build/client");
    if (options.build) app.get("/sw.js", serviceWorkerScript(path.join(clientDir, "sw.js"), options.build.assets.version));
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(clientDir, { maxAge: "1h" }));
  }

  app.use(noStoreWhenAuthenticated);

  const getLoadContext = (req: ExpressRequest, res: ExpressResponse): AppContext => ({
    db: database.db,
    dialect: database.dialect,
    cspNonce: res.locals.cspNonce as string,
    // req.ip honours `trust proxy`: the address the last trusted proxy saw, never a forged header.
    clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
    errors: [],
  });

  const vite = options.vite;
  app.all(
    "*",
    remixHandler({
      build: vite
        ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
        : (options.build as ServerBuild),
      getLoadContext,
    }),
  );

  // Whatever was thrown outside Remix: logged with its cause, answered 503 (storage) or 500, never a stack.
  app.use((err: unknown, req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
    console.error(`${req.method} ${req.path}: ${describeFailure(err)}`, err);
    if (res.headersSent) return void res.destroy();
    const api = isApiPath(req.path);
    const reply = isStorageUnavailable(err)
      ? unavailableResponse(api)
      : api
        ? Response.json({ error: { status: 500, message: "The server failed to answer this request; it has been logged." } }, { status: 500 })
        : plainPage(500, "Something went wrong", "The server failed to answer this request; it has been logged.");
    void sendResponse(res, reply);
  });
  return app;
}
