// Administration: review-app users (add, disable, enable), which rules DSLs mark "not a concern", and the settings
// in force. Admins see no message content here.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../passwords.js';
import { ROLES, type Role, type User } from '../hold-store.js';
import type { ReviewAppDeps, Viewer } from './deps.js';
import { html, type SafeHtml } from './html.js';
import { ROLE_LABELS } from './labels.js';
import type { Render } from './render.js';
import { canAdminister } from './roles.js';
import { formatDateTime } from './time-format.js';

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

type Body = Record<string, unknown>;

function userStatus(user: User, now: Date): string {
  if (user.disabled) return 'Disabled';
  if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime())
    return `Locked until ${formatDateTime(user.lockedUntil)}`;
  return 'Active';
}

function rolesFrom(value: unknown): Role[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return ROLES.filter((r) => list.includes(r));
}

export function registerAdminRoutes(app: FastifyInstance, deps: ReviewAppDeps, now: () => Date, render: Render): void {
  const { store, config } = deps;

  async function adminPage(viewer: Viewer, message?: { kind: 'ok' | 'error'; text: string }, status = 200) {
    const at = now();
    const [users, feedback] = await Promise.all([store.listUsers(), store.ruleFeedbackCounts()]);
    const rules = deps.rules?.() ?? [];
    const settings: [string, string][] = [
      ['Organisation', config.organisation.name],
      ['Hold when the score reaches', `${config.thresholds.hold} (tag from ${config.thresholds.tag})`],
      ['Screening for pupils / parents', `${config.policy.pupil.mode} / ${config.policy.parent.mode}`],
      ['Overdue after', `${config.review.escalateAfterHours} school-day hours`],
      ['Deputies', config.review.deputies.join(', ') || 'none'],
      ['DSLs notified', config.notifications.dsl.join(', ') || 'nobody (set notifications.dsl)'],
      ['Immediate notice at', config.notifications.immediate],
      ['Daily digest at', config.notifications.digestAt],
      ['Tell senders when held', config.notifications.notifySender ? 'yes' : 'no'],
      ['Decided messages kept for', `${config.retention.days} days`],
      ['Sessions last', `${config.review.sessionHours} hours`],
    ];
    const body: SafeHtml = html`<h1>Administration</h1>
      ${message ? html`<div class="notice ${message.kind}" role="status">${message.text}</div>` : ''}
      <section aria-labelledby="users-heading">
        <h2 id="users-heading">Users</h2>
        <table class="plain-table">
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
              <th scope="col">Added</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${users.map(
              (u) =>
                html`<tr>
                  <td>${u.email}</td>
                  <td>${u.roles.map((r) => ROLE_LABELS[r]).join(', ')}</td>
                  <td>${userStatus(u, at)}</td>
                  <td>${formatDateTime(u.createdAt)}</td>
                  <td>
                    ${u.email === viewer.user.email
                      ? html`<span class="small muted">you</span>`
                      : html`<form method="post" action="/admin/users/${u.disabled ? 'enable' : 'disable'}">
                          <input type="hidden" name="_csrf" value="${viewer.csrfToken}" />
                          <input type="hidden" name="email" value="${u.email}" />
                          <button class="secondary" type="submit">
                            ${u.disabled ? 'Enable' : 'Disable'}<span class="visually-hidden"> ${u.email}</span>
                          </button>
                        </form>`}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        <h3>Add a user</h3>
        <form class="card" method="post" action="/admin/users">
          <input type="hidden" name="_csrf" value="${viewer.csrfToken}" />
          <div>
            <label for="u-email">School e-mail address</label><input id="u-email" name="email" type="email" required />
          </div>
          <fieldset>
            <legend>Roles</legend>
            ${ROLES.map(
              (r) =>
                html`<label class="checkbox"
                  ><input type="checkbox" name="roles" value="${r}" /> <span>${ROLE_LABELS[r]}</span></label
                >`,
            )}
          </fieldset>
          <div>
            <label for="u-password"
              >First password (at least ${MIN_PASSWORD_LENGTH} characters; give it to them in person)</label
            >
            <input
              id="u-password"
              name="password"
              type="password"
              autocomplete="new-password"
              required
              minlength="${MIN_PASSWORD_LENGTH}"
            />
          </div>
          <div><button class="primary" type="submit">Add user</button></div>
        </form>
      </section>
      <section aria-labelledby="feedback-heading">
        <h2 id="feedback-heading">Rules DSLs marked "not a concern"</h2>
        <p class="muted">Rules that often catch harmless mail may need tuning in the school's local rules folder.</p>
        ${feedback.length === 0
          ? html`<p class="muted">No feedback yet.</p>`
          : html`<table class="plain-table">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Findings in held messages</th>
                  <th scope="col">Marked not a concern</th>
                </tr>
              </thead>
              <tbody>
                ${[...feedback]
                  .sort((a, b) => b.notAConcern - a.notAConcern || b.findings - a.findings)
                  .map(
                    (f) =>
                      html`<tr>
                        <td>${f.rule}</td>
                        <td>${f.findings}</td>
                        <td>
                          ${f.notAConcern}${f.findings > 0
                            ? ` (${Math.round((100 * f.notAConcern) / f.findings)}%)`
                            : ''}
                        </td>
                      </tr>`,
                  )}
              </tbody>
            </table>`}
      </section>
      ${rules.length > 0
        ? html`<section aria-labelledby="rules-heading">
            <h2 id="rules-heading">Rules in use (${rules.length})</h2>
            <table class="plain-table">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Concern</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Pack</th>
                </tr>
              </thead>
              <tbody>
                ${rules.map(
                  (r) =>
                    html`<tr>
                      <td>${r.id}</td>
                      <td>${r.category}</td>
                      <td>${r.severity}</td>
                      <td>${r.pack ?? ''}${r.local ? ' (local)' : ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </section>`
        : ''}
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings in force</h2>
        <p class="muted">Change these in chaperone.yaml (see docs/review-app.md).</p>
        <dl class="headers">
          ${settings.map(
            ([k, v]) =>
              html`<dt>${k}</dt>
                <dd>${v}</dd>`,
          )}
        </dl>
      </section>`;
    return { title: 'Administration', active: 'admin' as const, body, status };
  }

  function guard(request: FastifyRequest): Viewer | undefined {
    const viewer = request.viewer as Viewer;
    return canAdminister(viewer) ? viewer : undefined;
  }

  function forbidden(request: FastifyRequest, reply: Parameters<Render>[0]) {
    return render(reply, request.viewer, {
      title: 'Not allowed',
      status: 403,
      body: html`<h1>Not allowed</h1>
        <p>Only administrators can open this page.</p>`,
    });
  }

  app.get('/admin', async (request, reply) => {
    const viewer = guard(request);
    if (!viewer) return forbidden(request, reply);
    return render(reply, viewer, await adminPage(viewer));
  });

  app.post('/admin/users', async (request: FastifyRequest<{ Body: Body }>, reply) => {
    const viewer = guard(request);
    if (!viewer) return forbidden(request, reply);
    const body = request.body ?? {};
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const roles = rolesFrom(body.roles);
    const problem =
      !EMAIL.test(email) || email.length > 320
        ? 'Please give a valid e-mail address.'
        : roles.length === 0
          ? 'Please choose at least one role.'
          : password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH
            ? `The password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long.`
            : (await store.getUser(email))
              ? `${email} already has an account.`
              : undefined;
    if (problem) return render(reply, viewer, await adminPage(viewer, { kind: 'error', text: problem }, 400));
    const at = now();
    await store.createUser({
      email,
      roles,
      passwordHash: await hashPassword(password),
      createdAt: at,
      failedLogins: 0,
      disabled: false,
    });
    await store.appendAudit({
      at,
      actor: viewer.user.email,
      action: 'user.created',
      remoteAddress: request.ip,
      detail: { email, roles },
    });
    return render(reply, viewer, await adminPage(viewer, { kind: 'ok', text: `Added ${email}.` }));
  });

  for (const change of ['disable', 'enable'] as const) {
    app.post(`/admin/users/${change}`, async (request: FastifyRequest<{ Body: Body }>, reply) => {
      const viewer = guard(request);
      if (!viewer) return forbidden(request, reply);
      const email = typeof request.body?.email === 'string' ? request.body.email.trim().toLowerCase() : '';
      const user = email ? await store.getUser(email) : undefined;
      if (!user || email === viewer.user.email) {
        return render(
          reply,
          viewer,
          await adminPage(viewer, { kind: 'error', text: 'That user cannot be changed here.' }, 400),
        );
      }
      await store.updateUser(
        email,
        change === 'disable' ? { disabled: true } : { disabled: false, failedLogins: 0, lockedUntil: undefined },
      );
      // A disabled account's sessions end now, so enabling it later does not bring back a browser left signed in.
      const sessionsEnded = change === 'disable' ? await store.deleteSessionsOf(email) : 0;
      await store.appendAudit({
        at: now(),
        actor: viewer.user.email,
        action: `user.${change}d`,
        remoteAddress: request.ip,
        detail: { email, ...(change === 'disable' ? { sessionsEnded } : {}) },
      });
      return render(
        reply,
        viewer,
        await adminPage(viewer, { kind: 'ok', text: `${change === 'disable' ? 'Disabled' : 'Enabled'} ${email}.` }),
      );
    });
  }
}
