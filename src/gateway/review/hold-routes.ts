// One held message: the view (audited every time), the original for download, and the decisions on it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StateConflictError, type HeldItem } from '../hold-store.js';
import { AlreadyDecidedError } from '../decisions.js';
import { parseHoldId } from '../ids.js';
import { decideHold, DecisionRefusedError, type DecisionKind } from './decide-hold.js';
import type { ReviewAppDeps, Viewer } from './deps.js';
import { html } from './html.js';
import { STATE_LABELS } from './labels.js';
import { defaultView, newNonce, placeFindings, type BodyView } from './message-body.js';
import { readDisplayHeaders, type DisplayHeaders } from './message-headers.js';
import { holdPageBody, type HoldPageModel } from './hold-page.js';
import type { Render } from './render.js';
import { canDecide, canReadContent, isOwnMessage } from './roles.js';

/** Earlier held messages shown per list: enough to see a pattern, few enough to read. */
const HISTORY_LIMIT = 10;
/** Recipients looked up for "same sender to the same recipient" (a message to a whole class has many). */
const HISTORY_RECIPIENTS = 10;

type IdRequest = FastifyRequest<{ Params: { id: string }; Querystring: { view?: string; done?: string } }>;

const FLASH: Record<string, HoldPageModel['flash']> = {
  released: { kind: 'ok', text: 'Released: the message has been passed on for delivery.' },
  rejected: { kind: 'ok', text: 'Rejected: the message will not be sent.' },
  'rejected-notified': { kind: 'ok', text: 'Rejected: the message will not be sent, and the sender has been told.' },
  'rejected-notice-failed': {
    kind: 'warn',
    text: 'Rejected: the message will not be sent. The notice to the sender could not be sent; please tell them yourself.',
  },
  escalated: { kind: 'ok', text: 'Escalated: the message stays held and is marked for the headteacher or LADO.' },
  feedback: { kind: 'ok', text: 'Thank you: the rule admins will see that this finding was not a concern.' },
  'delivery-failed': {
    kind: 'error',
    text: 'Released, but the school mail server did not accept it yet. Chaperone will keep trying.',
  },
};

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function registerHoldRoutes(app: FastifyInstance, deps: ReviewAppDeps, now: () => Date, render: Render): void {
  const { store, config, logger } = deps;

  function denied(reply: FastifyReply, viewer: Viewer, text: string) {
    return render(reply, viewer, {
      title: 'Not allowed',
      status: 403,
      body: html`<h1>Not allowed</h1>
        <p>${text}</p>`,
    });
  }

  async function loadItem(request: IdRequest, reply: FastifyReply): Promise<HeldItem | undefined> {
    const viewer = request.viewer as Viewer;
    const id = parseHoldId(request.params.id);
    const item = id ? await store.getHold(id) : undefined;
    if (!item) {
      render(reply, viewer, {
        title: 'Message not found',
        status: 404,
        body: html`<h1>Message not found</h1>
          <p>
            There is no held message with reference ${request.params.id}. Decided messages are removed after
            ${config.retention.days} days; their record stays in the <a href="/audit?hold=${id ?? ''}">audit log</a>.
          </p>`,
      });
      return undefined;
    }
    return item;
  }

  async function history(item: HeldItem): Promise<{ sameRecipient: HeldItem[]; otherRecipients: HeldItem[] }> {
    const sender = item.envelope.mailFrom;
    if (sender === '') return { sameRecipient: [], otherRecipients: [] };
    const earlier = (list: HeldItem[]) =>
      list.filter(
        (h) => h.id !== item.id && h.receivedAt <= item.receivedAt && sameAddress(h.envelope.mailFrom, sender),
      );
    const sameIds = new Set<string>();
    const sameRecipient: HeldItem[] = [];
    for (const r of item.recipients.slice(0, HISTORY_RECIPIENTS)) {
      const found = earlier(await store.listHolds({ sender, recipient: r.address, limit: HISTORY_LIMIT + 1 }));
      for (const h of found) {
        if (sameIds.has(h.id)) continue;
        sameIds.add(h.id);
        sameRecipient.push(h);
      }
    }
    sameRecipient.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
    const otherRecipients = earlier(await store.listHolds({ sender, limit: HISTORY_LIMIT * 2 }))
      .filter((h) => !sameIds.has(h.id))
      .slice(0, HISTORY_LIMIT);
    return { sameRecipient: sameRecipient.slice(0, HISTORY_LIMIT), otherRecipients };
  }

  app.get('/holds/:id', async (request: IdRequest, reply) => {
    const viewer = request.viewer as Viewer;
    if (!canReadContent(viewer, config)) {
      return denied(reply, viewer, 'Your account manages users and settings; it cannot read held messages.');
    }
    const item = await loadItem(request, reply);
    if (!item) return reply;
    const at = now();
    await store.appendAudit({
      at,
      actor: viewer.user.email,
      action: 'hold.viewed',
      holdId: item.id,
      remoteAddress: request.ip,
    });
    const raw = await store.getRaw(item.id);
    let headers: DisplayHeaders | undefined;
    if (raw) {
      try {
        headers = await readDisplayHeaders(raw);
      } catch (error) {
        logger.warn({ err: error, hold: item.id }, 'could not read the headers of a held message');
      }
    }
    const requested = request.query.view;
    const places = placeFindings(item.verdict);
    const view: BodyView | undefined =
      (requested === 'html' || requested === 'text') && places.views.includes(requested)
        ? requested
        : defaultView(places);
    const flash = request.query.done ? FLASH[request.query.done] : undefined;
    const model: HoldPageModel = {
      item,
      ...(headers ? { headers } : {}),
      ...(view ? { view } : {}),
      places,
      nonce: newNonce(),
      viewer,
      config,
      now: at,
      feedback: await store.listFeedback(item.id),
      mayDecide: canDecide(viewer, config) && !isOwnMessage(viewer, item),
      ownMessage: isOwnMessage(viewer, item),
      ...(await history(item)),
      ...(flash ? { flash } : {}),
    };
    return render(reply, viewer, {
      title: item.subject.trim() || 'Held message',
      active: 'queue',
      body: holdPageBody(model),
    });
  });

  app.get('/holds/:id/raw', async (request: IdRequest, reply) => {
    const viewer = request.viewer as Viewer;
    if (!canReadContent(viewer, config)) return reply.code(403).send('Not allowed');
    const id = parseHoldId(request.params.id);
    const raw = id ? await store.getRaw(id) : undefined;
    if (!id || !raw) return reply.code(404).send('Not found');
    await store.appendAudit({
      at: now(),
      actor: viewer.user.email,
      action: 'hold.downloaded',
      holdId: id,
      remoteAddress: request.ip,
    });
    return reply
      .header('content-disposition', `attachment; filename="held-${id}.eml"`)
      .type('message/rfc822')
      .send(raw);
  });

  async function decide(
    request: FastifyRequest<{ Params: { id: string }; Body: Record<string, unknown> }>,
    reply: FastifyReply,
    kind: DecisionKind,
  ) {
    const viewer = request.viewer as Viewer;
    if (!canDecide(viewer, config))
      return denied(reply, viewer, 'Your account can read held messages but not decide on them.');
    const item = await loadItem(request as unknown as IdRequest, reply);
    if (!item) return reply;
    if (isOwnMessage(viewer, item)) {
      return denied(reply, viewer, 'You sent this message, so another DSL or a deputy must decide on it.');
    }
    const body = request.body ?? {};
    const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
    if (kind !== 'release' && reason === '') {
      return render(reply, viewer, {
        title: 'A reason is needed',
        status: 400,
        body: html`<h1>A reason is needed</h1>
          <p>
            Please say why you ${kind === 'reject' ? 'rejected' : 'escalated'} the message: it goes into the record.
          </p>
          <p><a href="/holds/${item.id}">Back to the message</a></p>`,
      });
    }
    let decided: HeldItem;
    try {
      decided = await decideHold(
        deps,
        { kind, id: item.id, actor: viewer.user.email, remoteAddress: request.ip, ...(reason ? { reason } : {}) },
        now,
      );
    } catch (error) {
      if (error instanceof DecisionRefusedError) {
        const status = error.code === 'not-found' ? 404 : error.code === 'own-message' ? 403 : 400;
        return render(reply, viewer, {
          title: 'Not done',
          status,
          body: html`<h1>Nothing was changed</h1>
            <p>${error.message}</p>
            <p><a href="/holds/${item.id}">Back to the message</a></p>`,
        });
      }
      if (!(error instanceof StateConflictError)) throw error;
      const byYou = error instanceof AlreadyDecidedError && error.byYou;
      return render(reply, viewer, {
        title: 'Already decided',
        status: 409,
        body: html`<h1>${byYou ? 'You have already decided on this message' : 'Someone decided first'}</h1>
          <p>
            ${error instanceof AlreadyDecidedError ? error.message : ''} This message is now:
            ${STATE_LABELS[error.actualState]}. Nothing else was changed.
          </p>
          <p><a href="/holds/${item.id}">Back to the message</a></p>`,
      });
    }
    let done: string = decided.state;
    if (kind === 'release' && decided.delivery?.status === 'failed') done = 'delivery-failed';
    if (kind === 'reject' && body.notifySender === 'yes') {
      const sent = await deps.notifier.rejectionNotice(decided).catch((error: unknown) => {
        logger.warn({ err: error, hold: item.id }, 'rejection notice failed');
        return false;
      });
      done = sent ? 'rejected-notified' : 'rejected-notice-failed';
    }
    return reply.redirect(`/holds/${item.id}?done=${done}`, 303);
  }

  for (const kind of ['release', 'reject', 'escalate'] as const) {
    app.post(
      `/holds/:id/${kind}`,
      (request: FastifyRequest<{ Params: { id: string }; Body: Record<string, unknown> }>, reply) =>
        decide(request, reply, kind),
    );
  }

  app.post(
    '/holds/:id/findings/:n/not-a-concern',
    async (request: FastifyRequest<{ Params: { id: string; n: string } }>, reply) => {
      const viewer = request.viewer as Viewer;
      if (!canDecide(viewer, config)) return denied(reply, viewer, 'Your account cannot give feedback on findings.');
      const item = await loadItem(request as unknown as IdRequest, reply);
      if (!item) return reply;
      if (isOwnMessage(viewer, item))
        return denied(reply, viewer, 'You sent this message, so you cannot judge its findings.');
      const index = Number.parseInt(request.params.n, 10) - 1;
      const finding = item.verdict.findings[index];
      if (!finding) return reply.code(404).send('No such finding');
      const at = now();
      await store.addFeedback({
        holdId: item.id,
        findingIndex: index,
        rule: finding.rule,
        actor: viewer.user.email,
        at,
        verdict: 'not-a-concern',
      });
      await store.appendAudit({
        at,
        actor: viewer.user.email,
        action: 'finding.feedback',
        holdId: item.id,
        remoteAddress: request.ip,
        detail: { finding: index + 1, rule: finding.rule, verdict: 'not-a-concern' },
      });
      return reply.redirect(`/holds/${item.id}?done=feedback#about-finding-${index + 1}`, 303);
    },
  );
}
