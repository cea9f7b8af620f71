// The page shell every screen shares: skip link, header with navigation and sign-out, one <main> landmark.
import { html, type SafeHtml } from './html.js';
import type { Viewer } from './deps.js';

export type Section = 'queue' | 'audit' | 'admin' | 'none';

export interface PageOptions {
  title: string;
  organisation: string;
  viewer?: Viewer;
  active?: Section;
  /** Which sections the viewer may open. */
  nav?: { queue: boolean; audit: boolean; admin: boolean };
  body: SafeHtml;
}

function navLink(href: string, label: string, current: boolean): SafeHtml {
  return html`<li><a href="${href}" ${current ? html`aria-current="page"` : ''}>${label}</a></li>`;
}

export function page(options: PageOptions): string {
  const { viewer, nav } = options;
  const header = html`<header class="top">
    <div class="bar">
      <a class="brand" href="/">Chaperone<small>${options.organisation}</small></a>
      ${viewer && nav
        ? html`<nav aria-label="Main">
              <ul>
                ${nav.queue ? navLink('/', 'Held messages', options.active === 'queue') : ''}
                ${nav.audit ? navLink('/audit', 'Audit log', options.active === 'audit') : ''}
                ${nav.admin ? navLink('/admin', 'Administration', options.active === 'admin') : ''}
              </ul>
            </nav>
            <div class="who">
              <span><span class="visually-hidden">Signed in as </span>${viewer.user.email}</span>
              <form method="post" action="/logout">
                <input type="hidden" name="_csrf" value="${viewer.csrfToken}" />
                <button type="submit">Sign out</button>
              </form>
            </div>`
        : ''}
    </div>
  </header>`;
  return `<!doctype html>${html`<html lang="en-GB">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>${options.title} · Chaperone</title>
      <link rel="stylesheet" href="/static/app.css" />
    </head>
    <body>
      <a class="skip" href="#main">Skip to main content</a>
      ${header}
      <main id="main" tabindex="-1">${options.body}</main>
    </body>
  </html>`}`;
}
