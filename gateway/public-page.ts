import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from '../kernel/log';

/**
 * The build's files at its top besides index.html (vite-plugin-pwa's service worker and manifest, the icon), with
 * their types.
 */
const TOP_FILES: ReadonlyArray<[string, string]> = [
  ['sw.js', 'text/javascript; charset=utf-8'],
  ['manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
  ['icon.svg', 'image/svg+xml'],
];

/** Paths the page never answers: the API and the probes keep their own handlers. */
const NOT_PAGES = /^\/(graphql|health|metrics|evidence)(\/|$)/;

/**
 * The public disclosure page and the dashboard (issue G): the static files Vite built from web/
 * (dist/web), served at `/`. Hashed assets are cached for a year; the HTML never is, so a new
 * build is picked up at once. Any other GET that asks for HTML gets the page, which routes in the
 * browser (`/entity/<USCC>`, `/tasks/<id>`, ...); no other file of the folder is served. The page reads data only
 * through `/graphql`,
 * so its Content-Security-Policy allows scripts, styles and connections to this origin only, and
 * connections to the identity provider's origin when officials sign in there (issue I: discovery
 * and the token endpoint are called from the page).
 * Without a build (a server built without `npm run build:web`) `/` says how to build it; the API
 * is unaffected.
 */
export function publicPage(
  webDir: string,
  logger: Logger,
  options: { signInOrigin?: string | null } = {},
): express.Router {
  const router = express.Router();
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index))
    logger.warn({ webDir }, 'the public page is not built: `/` will say so (npm run build:web)');
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Chart.js sizes its canvas with inline styles.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'", ...(options.signInOrigin ? [options.signInOrigin] : [])],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  router.use('/assets', express.static(path.join(webDir, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  // Issue J: the service worker that keeps the page on the phone, its manifest and icon: the only
  // files at the top besides the page. Never cached by HTTP: a new build's worker is seen at once.
  for (const [file, type] of TOP_FILES) {
    router.get(`/${file}`, (_req, res, next) => {
      const full = path.join(webDir, file);
      if (!fs.existsSync(full)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.type(type).sendFile(full);
    });
  }
  // An asset that is not there (an old page asking for a replaced build) is a plain 404: never the
  // page, and never Express's error page, which would show the path on disk.
  router.use(
    '/assets',
    (_req, res) =>
      void res
        .status(404)
        .type('text/plain; charset=utf-8')
        .send('Not found: this asset is not part of the current build; reload the page.\n'),
  );
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_PAGES.test(req.path)) return next();
    if (!fs.existsSync(index)) {
      res
        .status(404)
        .type('text/plain; charset=utf-8')
        .send(
          'The public page is not built on this server: run `npm run build:web` (or `npm run build`), then ' +
            'reload. The GraphQL API is at /graphql.\n',
        );
      return;
    }
    // The build has no file at its top but the page and TOP_FILES, so every other path is one of
    // the page's routes (`/entity/<USCC>`), which its router shows.
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
