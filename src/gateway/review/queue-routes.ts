// The queue at `/`: what is held, newest first, with filters, search and the counts a DSL checks first.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CATEGORIES, type Category } from '../../classifier/types.js';
import { HOLD_STATES, type HeldItem, type HoldFilter, type HoldState, type HoldStore } from '../hold-store.js';
import type { ReviewAppDeps, Viewer } from './deps.js';
import { html, type SafeHtml } from './html.js';
import { CATEGORY_LABELS, RECIPIENT_CLASS_LABELS, SEVERITY_LABELS, STATE_LABELS } from './labels.js';
import { isOverdue } from './overdue.js';
import type { Render } from './render.js';
import { canReadContent } from './roles.js';
import { formatDateTime, timeAgo, waitingFor } from './time-format.js';

export const PAGE_SIZE = 50;

const STATE_FILTER_LABELS: Record<HoldState, string> = {
  held: 'Waiting',
  released: 'Released',
  rejected: 'Rejected',
  escalated: 'Escalated',
};
/** Held items scanned to count the overdue ones; a queue longer than this is already an emergency. */
const MAX_SCANNED_FOR_COUNTS = 1000;
const MAX_QUERY_TEXT = 200;

interface QueueQuery {
  state?: string;
  category?: string;
  sender?: string;
  from?: string;
  to?: string;
  q?: string;
  page?: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, MAX_QUERY_TEXT) : '';
}

/** yyyy-mm-dd as local midnight, or undefined. */
function localDate(value: string, dayOffset = 0): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + dayOffset);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export interface QueueView {
  state: HoldState | 'all';
  category: Category | '';
  sender: string;
  from: string;
  to: string;
  q: string;
  page: number;
  filter: HoldFilter;
}

export function readQueueQuery(query: QueueQuery): QueueView {
  const rawState = text(query.state);
  const state =
    rawState === 'all'
      ? 'all'
      : (HOLD_STATES as readonly string[]).includes(rawState)
        ? (rawState as HoldState)
        : 'held';
  const rawCategory = text(query.category);
  const category = (CATEGORIES as readonly string[]).includes(rawCategory) ? (rawCategory as Category) : '';
  const sender = text(query.sender);
  const from = text(query.from);
  const to = text(query.to);
  const q = text(query.q);
  const page = Math.min(Math.max(1, Number.parseInt(text(query.page), 10) || 1), 10_000);
  const after = localDate(from);
  const before = localDate(to, 1);
  const filter: HoldFilter = {
    ...(state === 'all' ? {} : { states: [state] }),
    ...(category ? { category } : {}),
    ...(sender ? { sender } : {}),
    ...(after ? { receivedAfter: after } : {}),
    ...(before ? { receivedBefore: before } : {}),
    ...(q ? { search: q } : {}),
  };
  return { state, category, sender, from, to, q, page, filter };
}

export interface QueueCounts {
  heldNow: number;
  overdue: number;
  decidedThisWeek: number;
  oldestWaiting?: Date;
}

function startOfWeek(now: Date): Date {
  const daysSinceMonday = (now.getDay() + 6) % 7;
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysSinceMonday);
}

export async function queueCounts(store: HoldStore, escalateAfterHours: number, now: Date): Promise<QueueCounts> {
  const held = await store.listHolds({ states: ['held'], limit: MAX_SCANNED_FOR_COUNTS });
  const heldNow = await store.countHolds({ states: ['held'] });
  const overdue = held.filter((item) => isOverdue(item, escalateAfterHours, now)).length;
  let oldestWaiting = held.at(-1)?.receivedAt;
  if (heldNow > held.length) {
    oldestWaiting = (await store.listHolds({ states: ['held'], offset: heldNow - 1, limit: 1 }))[0]?.receivedAt;
  }
  // Decided items received up to four weeks before Monday: a decision on anything older this week is rare enough.
  const monday = startOfWeek(now);
  const recent = await store.listHolds({
    states: ['released', 'rejected', 'escalated'],
    receivedAfter: new Date(monday.getTime() - 28 * 86_400_000),
    limit: MAX_SCANNED_FOR_COUNTS,
  });
  const decidedThisWeek = recent.filter((i) => i.decidedAt && i.decidedAt.getTime() >= monday.getTime()).length;
  return { heldNow, overdue, decidedThisWeek, ...(oldestWaiting ? { oldestWaiting } : {}) };
}

function countsBlock(counts: QueueCounts, now: Date): SafeHtml {
  return html`<ul class="stats" aria-label="Summary">
    <li><span class="num">${counts.heldNow}</span><span class="label">waiting for a decision</span></li>
    <li class="${counts.overdue > 0 ? 'overdue' : ''}">
      <span class="num">${counts.overdue}</span><span class="label">overdue (waiting too long)</span>
    </li>
    <li><span class="num">${counts.decidedThisWeek}</span><span class="label">decided since Monday</span></li>
    <li>
      <span class="num">${counts.oldestWaiting ? waitingFor(counts.oldestWaiting, now) : '–'}</span>
      <span class="label">oldest still waiting</span>
    </li>
  </ul>`;
}

function option(value: string, label: string, selected: string): SafeHtml {
  return html`<option value="${value}" ${value === selected ? html`selected` : ''}>${label}</option>`;
}

function filtersForm(view: QueueView): SafeHtml {
  return html`<form class="filters" method="get" action="/" role="search" aria-label="Filter held messages">
    <div>
      <label for="f-state">Status</label>
      <select id="f-state" name="state">
        ${HOLD_STATES.map((s) => option(s, STATE_FILTER_LABELS[s], view.state))} ${option('all', 'All', view.state)}
      </select>
    </div>
    <div>
      <label for="f-category">Concern</label>
      <select id="f-category" name="category">
        ${option('', 'Any', view.category)} ${CATEGORIES.map((c) => option(c, CATEGORY_LABELS[c], view.category))}
      </select>
    </div>
    <div>
      <label for="f-sender">Sender</label>
      <input id="f-sender" name="sender" type="text" value="${view.sender}" placeholder="e.g. smith" />
    </div>
    <div>
      <label for="f-from">Received from</label>
      <input id="f-from" name="from" type="date" value="${view.from}" />
    </div>
    <div>
      <label for="f-to">Received to</label>
      <input id="f-to" name="to" type="date" value="${view.to}" />
    </div>
    <div>
      <label for="f-q">Search</label>
      <input id="f-q" name="q" type="search" value="${view.q}" placeholder="Name, address or subject" />
    </div>
    <div class="actions-row">
      <button class="primary" type="submit">Show</button>
      <a href="/">Clear</a>
    </div>
  </form>`;
}

function recipientsCell(item: HeldItem): SafeHtml {
  return html`${item.recipients.map(
    (r) =>
      html`<span class="recipient">${r.address} <span class="tag">${RECIPIENT_CLASS_LABELS[r.class]}</span></span>`,
  )}`;
}

function row(item: HeldItem, now: Date, escalateAfterHours: number): SafeHtml {
  const overdue = isOverdue(item, escalateAfterHours, now);
  return html`<tr class="${overdue ? 'overdue' : ''}">
    <td>
      <time datetime="${item.receivedAt.toISOString()}" title="${formatDateTime(item.receivedAt)}"
        >${timeAgo(item.receivedAt, now)}</time
      >
      ${overdue ? html`<br /><span class="overdue-flag">Overdue</span>` : ''}
    </td>
    <td>${item.envelope.mailFrom || '(no sender)'}</td>
    <td>${recipientsCell(item)}</td>
    <td class="subject">
      <a href="/holds/${item.id}">${item.subject.trim() || '(no subject)'}</a><br />
      ${item.reason === 'flagged'
        ? item.categories.map((c) => html`<span class="tag">${CATEGORY_LABELS[c]}</span>`)
        : html`<span class="tag">Could not be checked</span>`}
    </td>
    <td><span class="sev sev-${item.severity}">${SEVERITY_LABELS[item.severity]}</span></td>
    <td class="state">${STATE_LABELS[item.state]}</td>
  </tr>`;
}

function pageLink(view: QueueView, page: number): string {
  const params = new URLSearchParams();
  for (const key of ['state', 'category', 'sender', 'from', 'to', 'q'] as const)
    if (view[key]) params.set(key, view[key]);
  params.set('page', String(page));
  return `/?${params.toString()}`;
}

export function registerQueueRoutes(app: FastifyInstance, deps: ReviewAppDeps, now: () => Date, render: Render): void {
  const { store, config } = deps;
  // Read per request: `config` follows reloads (live-config.ts).
  const hours = (): number => config.review.escalateAfterHours;

  app.get('/', async (request: FastifyRequest<{ Querystring: QueueQuery }>, reply) => {
    const viewer = request.viewer as Viewer;
    if (!canReadContent(viewer, config)) return reply.redirect('/admin', 303);
    const at = now();
    const view = readQueueQuery(request.query);
    const [items, total, counts] = await Promise.all([
      store.listHolds({ ...view.filter, limit: PAGE_SIZE, offset: (view.page - 1) * PAGE_SIZE }),
      store.countHolds(view.filter),
      queueCounts(store, hours(), at),
    ]);
    const heading = view.state === 'held' ? 'Messages waiting for a decision' : 'Held messages';
    const body = html`<h1>${heading}</h1>
      <p class="lede">
        Chaperone holds e-mails to pupils and parents that may break the school's safer-working guidance. Open one to
        read it, see what was flagged and decide whether it is sent.
      </p>
      ${countsBlock(counts, at)} ${filtersForm(view)}
      <h2 class="visually-hidden">Results</h2>
      ${items.length === 0
        ? html`<div class="notice">
            ${view.state === 'held' && Object.keys(view.filter).length === 1
              ? 'Nothing is waiting for a decision.'
              : 'No held messages match these filters.'}
          </div>`
        : html`<table class="queue">
            <caption class="visually-hidden">
              ${total} message${total === 1 ? '' : 's'}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Subject and concern</th>
                <th scope="col">How serious</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              ${items.map((item) => row(item, at, hours()))}
            </tbody>
          </table>`}
      <nav class="pager" aria-label="Pages">
        ${view.page > 1 ? html`<a href="${pageLink(view, view.page - 1)}">Newer</a>` : ''}
        <span class="muted small">
          ${total === 0
            ? ''
            : `Showing ${(view.page - 1) * PAGE_SIZE + 1}–${(view.page - 1) * PAGE_SIZE + items.length} of ${total}`}
        </span>
        ${view.page * PAGE_SIZE < total ? html`<a href="${pageLink(view, view.page + 1)}">Older</a>` : ''}
      </nav>
      <p class="muted small">
        Overdue means waiting more than ${hours()} hours of school days (weekends are not counted) since it was held.
      </p>`;
    return render(reply, viewer, { title: heading, active: 'queue', body });
  });

  app.get('/api/summary', async (request, reply) => {
    const viewer = request.viewer as Viewer;
    if (!canReadContent(viewer, config)) return reply.code(403).send({ error: 'forbidden' });
    const counts = await queueCounts(store, hours(), now());
    return reply.send({
      heldNow: counts.heldNow,
      overdue: counts.overdue,
      decidedThisWeek: counts.decidedThisWeek,
      oldestWaiting: counts.oldestWaiting?.toISOString() ?? null,
    });
  });
}
