// The audit log: every view, decision, sign-in and change, newest first, filterable by message and by person.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditFilter, StoredAuditEntry } from '../hold-store.js';
import { parseHoldId } from '../ids.js';
import type { ReviewAppDeps, Viewer } from './deps.js';
import { html, type SafeHtml } from './html.js';
import { auditActionLabel, auditDetailLabel } from './labels.js';
import type { Render } from './render.js';
import { canReadAudit } from './roles.js';
import { formatDateTime } from './time-format.js';

export const AUDIT_PAGE_SIZE = 100;
/** Detail values longer than this are cut on screen (a reason can be long; the record keeps all of it). */
const MAX_DETAIL_CHARS = 500;

interface AuditQuery {
  hold?: string;
  actor?: string;
  before?: string;
}

function detailText(entry: StoredAuditEntry): SafeHtml {
  if (!entry.detail) return html``;
  return html`${Object.entries(entry.detail).map(([key, value]) => {
    const text =
      typeof value === 'string'
        ? value
        : Array.isArray(value) && value.every((v) => typeof v !== 'object')
          ? value.join(', ')
          : JSON.stringify(value);
    return html`<span class="small"
        ><strong>${auditDetailLabel(key)}</strong>:
        ${text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text}</span
      ><br />`;
  })}`;
}

export function registerAuditRoutes(app: FastifyInstance, deps: ReviewAppDeps, render: Render): void {
  const { store, config } = deps;

  app.get('/audit', async (request: FastifyRequest<{ Querystring: AuditQuery }>, reply) => {
    const viewer = request.viewer as Viewer;
    if (!canReadAudit(viewer, config)) {
      return render(reply, viewer, {
        title: 'Not allowed',
        status: 403,
        body: html`<h1>Not allowed</h1>
          <p>Your account cannot read the audit log.</p>`,
      });
    }
    const holdText = typeof request.query.hold === 'string' ? request.query.hold.trim() : '';
    const holdId = holdText ? parseHoldId(holdText) : undefined;
    const actor = typeof request.query.actor === 'string' ? request.query.actor.trim().slice(0, 320) : '';
    const before = Number.parseInt(typeof request.query.before === 'string' ? request.query.before : '', 10);
    const filter: AuditFilter = {
      limit: AUDIT_PAGE_SIZE,
      ...(holdText ? { holdId: holdId ?? holdText.slice(0, 40) } : {}),
      ...(actor ? { actor: actor.toLowerCase() } : {}),
      ...(Number.isSafeInteger(before) && before > 0 ? { beforeSeq: before } : {}),
    };
    const entries = await store.listAudit(filter);
    const last = entries.at(-1);
    const older = new URLSearchParams({ ...(holdText ? { hold: holdText } : {}), ...(actor ? { actor } : {}) });
    if (last) older.set('before', String(last.seq));
    const body = html`<h1>Audit log</h1>
      <p class="lede">
        Every time a held message is opened or decided, and every sign-in and account change, newest first. Entries
        cannot be changed or deleted.
      </p>
      <form class="filters" method="get" action="/audit" role="search" aria-label="Filter the audit log">
        <div>
          <label for="a-hold">Message reference</label>
          <input id="a-hold" name="hold" type="text" value="${holdText}" placeholder="e.g. 01JB3K7QZ-8M4PXZ" />
        </div>
        <div>
          <label for="a-actor">Person</label>
          <input id="a-actor" name="actor" type="text" value="${actor}" placeholder="e-mail address" />
        </div>
        <div class="actions-row"><button class="primary" type="submit">Show</button> <a href="/audit">Clear</a></div>
      </form>
      ${entries.length === 0
        ? html`<div class="notice">No audit entries match.</div>`
        : html`<table class="plain-table">
            <caption class="visually-hidden">
              Audit entries, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Message</th>
                <th scope="col">Details</th>
                <th scope="col">From address</th>
              </tr>
            </thead>
            <tbody>
              ${entries.map(
                (e) =>
                  html`<tr>
                    <td><time datetime="${e.at.toISOString()}">${formatDateTime(e.at)}</time></td>
                    <td>${e.actor}</td>
                    <td>${auditActionLabel(e.action)}</td>
                    <td>${e.holdId ? html`<a href="/audit?hold=${e.holdId}">${e.holdId}</a>` : ''}</td>
                    <td>${detailText(e)}</td>
                    <td class="small">${e.remoteAddress ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`}
      ${entries.length === AUDIT_PAGE_SIZE
        ? html`<nav class="pager" aria-label="Pages"><a href="/audit?${older.toString()}">Older entries</a></nav>`
        : ''}`;
    return render(reply, viewer, { title: 'Audit log', active: 'audit', body });
  });
}
