// The DSL review app: a fastify server rendering HTML on the server, with no script at all in the browser.
// Every page but sign-in needs a session; every POST carries the session's CSRF token; every view and decision is audited.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { registerAdminRoutes } from './admin-routes.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import type { ReviewAppDeps, Viewer } from './deps.js';
import { registerHoldRoutes } from './hold-routes.js';
import { html } from './html.js';
import { registerQueueRoutes } from './queue-routes.js';
import { createRender } from './render.js';
import { currentSession, sameToken } from './session.js';
import { STYLESHEET } from './styles.js';

export type { ReviewAppDeps, RuleStatus, Viewer } from './deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    viewer?: Viewer;
  }
}

/** Form posts are short (a reason is at most 2,000 characters); anything bigger is not ours. */
const BODY_LIMIT_BYTES = 64 * 1024;
/** Requests per minute from one address across the whole app: generous for a person, a wall for a script. */
const REQUESTS_PER_MINUTE = 600;
const PUBLIC_PATHS = new Set(['/login', '/static/app.css', '/healthz', '/favicon.ico']);

/** A route the app answers, as registered: for the access tests and for listing the app's addresses. */
export interface ReviewRoute {
  method: string;
  url: string;
}
const ROUTES = new WeakMap<FastifyInstance, ReviewRoute[]>();

/** Every method and path the review app answers (after createReviewApp), including those open without signing in. */
export function reviewRoutes(app: FastifyInstance): readonly ReviewRoute[] {
  return ROUTES.get(app) ?? [];
}

/** Whether a path answers without a session (sign-in, the stylesheet, the health check). */
export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.has(path);
}

function wantsPage(request: FastifyRequest): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    !request.url.startsWith('/api/') &&
    !/\/raw(\?|$)/.test(request.url)
  );
}

export async function createReviewApp(deps: ReviewAppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const { config, store } = deps;
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'review' }) as FastifyBaseLogger,
    // One log line per request would be noise; decisions and failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: deps.trustProxy ?? false,
  });
  const render = createRender(config);
  const routes: ReviewRoute[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url ?? route.path });
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        // The app shows no pictures (a held message's images become "[picture]"); nothing else may load one.
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        scriptSrc: ["'none'"],
      },
    },
    hsts: config.review.secureCookies ? { maxAge: 31_536_000 } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(rateLimit, { global: true, max: REQUESTS_PER_MINUTE, timeWindow: 60_000 });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });

  app.decorateRequest('viewer', undefined);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (isPublicPath(path)) return;
    const found = await currentSession(store, config, request, now());
    if (!found) {
      if (wantsPage(request)) {
        return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      }
      return reply.code(401).type('text/plain; charset=utf-8').send('Sign in first.');
    }
    request.viewer = { ...found, csrfToken: found.session.csrfSecret };
    // Held mail must not linger in shared or proxy caches.
    reply.header('cache-control', 'no-store');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const body = request.body as Record<string, unknown> | undefined;
      const sent = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
      if (!sameToken(typeof sent === 'string' ? sent : undefined, found.session.csrfSecret)) {
        return render(reply, request.viewer, {
          title: 'Form expired',
          status: 403,
          body: html`<h1>This form has expired</h1>
            <p>Nothing was changed. Please go back, reload the page and try again.</p>
            <p><a href="/">Back to held messages</a></p>`,
        });
      }
    }
  });

  app.get('/static/app.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );
  app.get('/healthz', async (_request, reply) => reply.type('text/plain').send('ok'));

  registerAuthRoutes(app, deps, now);
  registerQueueRoutes(app, deps, now, render);
  registerHoldRoutes(app, deps, now, render);
  registerAuditRoutes(app, deps, render);
  registerAdminRoutes(app, deps, now, render);

  app.setNotFoundHandler((request, reply) =>
    render(reply, request.viewer, {
      title: 'Page not found',
      status: 404,
      body: html`<h1>Page not found</h1>
        <p><a href="/">Back to held messages</a></p>`,
    }),
  );
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error, url: request.url }, 'review app error');
    return render(reply, request.viewer, {
      title: status === 429 ? 'Too many requests' : 'Something went wrong',
      status,
      body:
        status === 429
          ? html`<h1>Too many requests</h1>
              <p>Please wait a minute and try again.</p>`
          : status === 500
            ? html`<h1>Something went wrong</h1>
                <p>
                  Nothing was changed. Please try again; if it keeps happening, tell your IT team (the details are in
                  Chaperone's log).
                </p>`
            : html`<h1>That request could not be handled</h1>
                <p>${error.message}</p>`,
    });
  });

  return app;
}
