// The message view: headers, the message with findings marked in place, the findings explained beside it,
// the decision forms (or why there are none), and the sender's earlier held messages.
import type { Config } from '../../config/schema.js';
import type { Finding } from '../../classifier/types.js';
import type { FindingFeedback, HeldItem } from '../hold-store.js';
import type { Viewer } from './deps.js';
import { html, type SafeHtml } from './html.js';
import {
  CATEGORY_LABELS,
  PART_LABELS,
  REASON_LABELS,
  RECIPIENT_CLASS_LABELS,
  SEVERITY_LABELS,
  STATE_LABELS,
} from './labels.js';
import { findingAnchor } from './mark-findings.js';
import { markedParts, renderBody, viewsOfFinding, type BodyView, type FindingPlaces } from './message-body.js';
import type { DisplayHeaders } from './message-headers.js';
import { isOverdue, overdueAt } from './overdue.js';
import { formatDateTime, timeAgo } from './time-format.js';

export interface HoldPageModel {
  item: HeldItem;
  headers?: DisplayHeaders;
  view?: BodyView;
  places: FindingPlaces;
  nonce: string;
  viewer: Viewer;
  config: Config;
  now: Date;
  feedback: FindingFeedback[];
  mayDecide: boolean;
  ownMessage: boolean;
  /** Earlier held messages from the same sender to any of this message's recipients. */
  sameRecipient: HeldItem[];
  /** Earlier held messages from the same sender to anyone else. */
  otherRecipients: HeldItem[];
  flash?: { kind: 'ok' | 'warn' | 'error'; text: string };
}

function findingPlace(model: HoldPageModel, finding: Finding, index: number): SafeHtml {
  const where = PART_LABELS[model.item.verdict.parts[finding.partIndex]?.kind ?? finding.part];
  const views = viewsOfFinding(model.places, index);
  const href =
    views.length === 0 || (model.view !== undefined && views.includes(model.view))
      ? `#${findingAnchor(index)}`
      : `?view=${views[0]}#${findingAnchor(index)}`;
  return html`in the ${where.toLowerCase()} · <a href="${href}">show in message</a>`;
}

function findingItem(model: HoldPageModel, finding: Finding, index: number): SafeHtml {
  const mine = model.feedback.some((f) => f.findingIndex === index && f.actor === model.viewer.user.email);
  const others = model.feedback.filter((f) => f.findingIndex === index && f.actor !== model.viewer.user.email);
  const readAs =
    finding.normalised && finding.normalised.replace(/\s+/g, '') !== finding.text.toLowerCase().replace(/\s+/g, '')
      ? html`<p class="small muted">
          Read as <span class="finding-text">${finding.normalised}</span> (written to avoid detection)
        </p>`
      : '';
  return html`<li class="finding sev-${finding.severity}-item" id="about-${findingAnchor(index)}">
    <div class="finding-head">
      <span class="sev sev-${finding.severity}">${SEVERITY_LABELS[finding.severity]}</span>
      <span class="tag">${CATEGORY_LABELS[finding.category]}</span>
    </div>
    <p>
      <span class="finding-text">${finding.text}</span>
      <span class="small">${findingPlace(model, finding, index)}</span>
    </p>
    ${readAs}
    <p>${finding.explain}</p>
    <p class="guidance">Guidance for Safer Working Practice: ${finding.guidance}</p>
    <p class="small muted">Rule: ${finding.rule}</p>
    ${mine
      ? html`<p class="feedback-given">You marked this as not a concern.</p>`
      : model.mayDecide
        ? html`<form method="post" action="/holds/${model.item.id}/findings/${index + 1}/not-a-concern">
            <input type="hidden" name="_csrf" value="${model.viewer.csrfToken}" />
            <button class="linkish" type="submit">
              Not a concern<span class="visually-hidden"> (finding ${index + 1})</span>
            </button>
            <span class="small muted">tells the rule admins this rule caught something harmless</span>
          </form>`
        : ''}
    ${others.length > 0
      ? html`<p class="small muted">Marked not a concern by ${others.map((f) => f.actor).join(', ')}.</p>`
      : ''}
  </li>`;
}

function headersBlock(model: HoldPageModel): SafeHtml {
  const { item, headers } = model;
  const subjects = markedParts(item.verdict, model.places, 'subject');
  const subjectText = headers?.subject ?? item.subject;
  const markedSubject = [...subjects.values()][0] ?? subjectText;
  const attachmentMarks = markedParts(item.verdict, model.places, 'attachment-name');
  const attachmentNames = headers?.attachments ?? [...attachmentMarks.keys()];
  return html`<dl class="headers">
    <dt>From</dt>
    <dd>${headers?.from || item.from || item.envelope.mailFrom}</dd>
    <dt>To</dt>
    <dd>
      ${item.recipients.map(
        (r, i) => html`${i > 0 ? ', ' : ''}${r.address} <span class="tag">${RECIPIENT_CLASS_LABELS[r.class]}</span>`,
      )}
    </dd>
    ${headers?.cc
      ? html`<dt>Cc</dt>
          <dd>${headers.cc}</dd>`
      : ''}
    <dt>Date</dt>
    <dd>${formatDateTime(headers?.date ?? item.receivedAt)}</dd>
    <dt>Subject</dt>
    <dd>${markedSubject || '(no subject)'}</dd>
    ${attachmentNames.length > 0
      ? html`<dt>Attachments</dt>
          <dd>
            ${attachmentNames.map((name, i) => html`${i > 0 ? html`<br />` : ''}${attachmentMarks.get(name) ?? name}`)}
          </dd>`
      : ''}
    ${headers?.to && headers.to.toLowerCase() !== item.envelope.rcptTo.join(', ').toLowerCase()
      ? html`<dt>To (as written)</dt>
          <dd>${headers.to}</dd>`
      : ''}
  </dl>`;
}

function bodyBlock(model: HoldPageModel): SafeHtml {
  const { item, view } = model;
  const views = model.places.views;
  const other = views.find((v) => v !== view);
  const label = (v: BodyView) => (v === 'html' ? 'formatted version' : 'plain-text version');
  return html`<section class="letter" aria-labelledby="message-heading">
    <h2 id="message-heading" class="visually-hidden">The message</h2>
    ${view && other
      ? html`<p class="view-switch">
          Showing the ${label(view)}. <a href="?view=${other}">Show the ${label(other)}</a>
        </p>`
      : ''}
    ${view
      ? renderBody(item.verdict, model.places, view, model.nonce)
      : html`<p>
          The message could not be read, so there is nothing to show here.
          <a href="/holds/${item.id}/raw">Download the original message</a> to open it in your e-mail program.
        </p>`}
    ${view === 'html'
      ? html`<p class="small muted">
          Pictures are not loaded and links cannot be followed here (hover or focus a link to see where it goes).
        </p>`
      : ''}
  </section>`;
}

function decisionRecord(item: HeldItem): SafeHtml {
  if (item.state === 'held') return html``;
  const delivery = item.delivery
    ? item.delivery.status === 'delivered'
      ? html`<p>Delivered to the recipients ${formatDateTime(item.delivery.at)}.</p>`
      : html`<p class="notice error">
          Delivery failed (${item.delivery.response}). Chaperone keeps trying; tell your IT team if this stays.
        </p>`
    : item.state === 'released'
      ? html`<p>Being delivered.</p>`
      : '';
  return html`<div class="notice ${item.state === 'released' ? 'ok' : item.state === 'rejected' ? 'error' : 'warn'}">
    <p>
      <strong>${STATE_LABELS[item.state]}</strong> by ${item.decidedBy ?? 'unknown'}
      ${item.decidedAt ? html`on ${formatDateTime(item.decidedAt)}` : ''}.
    </p>
    ${item.decisionReason ? html`<p>Reason given: ${item.decisionReason}</p>` : ''} ${delivery}
  </div>`;
}

function decisionForms(model: HoldPageModel): SafeHtml {
  const { item, viewer, config } = model;
  const token = viewer.csrfToken;
  const open = item.state === 'held' || item.state === 'escalated';
  if (!open) return html``;
  if (model.ownMessage) {
    return html`<div class="notice warn" role="note">
      You sent this message, so you cannot decide on it. Another DSL
      ${config.review.deputies.length > 0 ? html`or a deputy (${config.review.deputies.join(', ')})` : ''} must review
      it.
    </div>`;
  }
  if (!model.mayDecide) {
    return html`<div class="notice" role="note">
      You can read this message but not decide on it (read-only access).
    </div>`;
  }
  const senderNotice = config.notifications.notifySender;
  return html`<div class="decide">
    <p class="small muted">
      Nothing is sent until someone decides. Every decision is recorded with your name, the time and your reason.
      ${item.state === 'escalated' ? 'This message was escalated; you can now make the final decision.' : ''}
    </p>
    <form method="post" action="/holds/${item.id}/release">
      <input type="hidden" name="_csrf" value="${token}" />
      <button class="release" type="submit">Release: send it to the recipients</button>
    </form>
    <details>
      <summary>Reject: do not send it</summary>
      <form method="post" action="/holds/${item.id}/reject">
        <input type="hidden" name="_csrf" value="${token}" />
        <label for="reject-reason">Why are you rejecting it? (kept in the record)</label>
        <textarea id="reject-reason" name="reason" required maxlength="2000"></textarea>
        <label class="checkbox">
          <input type="checkbox" name="notifySender" value="yes" ${senderNotice ? html`checked` : ''} />
          <span
            >Tell the sender it was not sent, with advice on what to do instead (the flagged words are not quoted)</span
          >
        </label>
        <button class="reject" type="submit">Reject</button>
      </form>
    </details>
    ${item.state === 'held'
      ? html`<details>
          <summary>Escalate to the headteacher or LADO</summary>
          <form method="post" action="/holds/${item.id}/escalate">
            <input type="hidden" name="_csrf" value="${token}" />
            <label for="escalate-note">Note for the record (who you are passing it to, and why)</label>
            <textarea id="escalate-note" name="reason" required maxlength="2000"></textarea>
            <p class="small muted">The message stays held (not sent) until a final release or rejection.</p>
            <button class="escalate" type="submit">Escalate</button>
          </form>
        </details>`
      : ''}
  </div>`;
}

function historyList(items: HeldItem[], now: Date, showRecipients: boolean): SafeHtml {
  return html`<ul class="history">
    ${items.map(
      (h) =>
        html`<li>
          <a href="/holds/${h.id}">${h.subject.trim() || '(no subject)'}</a>
          <span class="sev sev-${h.severity}">${SEVERITY_LABELS[h.severity]}</span><br />
          <span class="small muted">
            ${timeAgo(h.receivedAt, now)} · ${STATE_LABELS[h.state]}
            ${showRecipients ? html` · to ${h.recipients.map((r) => r.address).join(', ')}` : ''} ·
            ${h.categories.map((c) => CATEGORY_LABELS[c]).join(', ')}
          </span>
        </li>`,
    )}
  </ul>`;
}

function historyBlock(model: HoldPageModel): SafeHtml {
  const { sameRecipient, otherRecipients, now } = model;
  return html`<section aria-labelledby="history-heading">
    <h2 id="history-heading">Earlier held messages from this sender</h2>
    ${sameRecipient.length === 0 && otherRecipients.length === 0
      ? html`<p class="muted">None. This is the first message from this sender that Chaperone has held.</p>`
      : ''}
    ${sameRecipient.length > 0
      ? html`<div class="notice warn">
            <strong
              >${sameRecipient.length} earlier held message${sameRecipient.length === 1 ? '' : 's'} to the same
              recipient.</strong
            >
            A pattern across messages can matter more than any one of them.
          </div>
          ${historyList(sameRecipient, now, true)}`
      : ''}
    ${otherRecipients.length > 0
      ? html`<h3>To other recipients</h3>
          ${historyList(otherRecipients, now, true)}`
      : ''}
  </section>`;
}

export function holdPageBody(model: HoldPageModel): SafeHtml {
  const { item, config, now } = model;
  const findings = item.verdict.findings;
  const overdue = isOverdue(item, config.review.escalateAfterHours, now);
  return html`<p class="small"><a href="/">← Back to held messages</a></p>
    <h1>${item.subject.trim() || '(no subject)'}</h1>
    ${model.flash ? html`<div class="notice ${model.flash.kind}" role="status">${model.flash.text}</div>` : ''}
    <p class="lede">
      <span class="sev sev-${item.severity}">${SEVERITY_LABELS[item.severity]}</span>
      ${REASON_LABELS[item.reason]} · held ${timeAgo(item.receivedAt, now)} · ${STATE_LABELS[item.state]} · reference
      ${item.id}
    </p>
    ${overdue
      ? html`<div class="notice error" role="note">
          Overdue: waiting since ${formatDateTime(item.receivedAt)}; it was due a decision by
          ${formatDateTime(overdueAt(item, config.review.escalateAfterHours))}.
        </div>`
      : ''}
    ${item.verdict.problems.length > 0
      ? html`<div class="notice warn">
          <p>Chaperone could not fully check this message, so it was held to be safe:</p>
          <ul>
            ${item.verdict.problems.map((p) => html`<li>${p}</li>`)}
          </ul>
        </div>`
      : ''}
    <div class="message-layout">
      <div class="message-area">
        ${headersBlock(model)} ${bodyBlock(model)}
        <p class="small">
          <a href="/holds/${item.id}/raw">Download the original message</a> (to pass on to the headteacher or LADO)
        </p>
      </div>
      <aside aria-labelledby="findings-heading">
        <h2 id="findings-heading">
          What was flagged${findings.length > 0 ? html` <span class="muted">(${findings.length})</span>` : ''}
        </h2>
        ${findings.length === 0 ? html`<p class="muted">No single passage was flagged.</p>` : ''}
        <ol class="findings">
          ${findings.map((f, i) => findingItem(model, f, i))}
        </ol>
        <section class="decision-panel" aria-labelledby="decision-heading">
          <h2 id="decision-heading">Decision</h2>
          ${decisionRecord(item)} ${decisionForms(model)}
          <p class="small"><a href="/audit?hold=${item.id}">See this message's audit record</a></p>
        </section>
      </aside>
      <div class="history-area">${historyBlock(model)}</div>
    </div>`;
}
