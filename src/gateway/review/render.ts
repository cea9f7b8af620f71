// Sends a page in the shell, with the navigation the viewer's roles allow.
import type { FastifyReply } from 'fastify';
import type { Config } from '../../config/schema.js';
import type { Viewer } from './deps.js';
import type { SafeHtml } from './html.js';
import { page, type Section } from './layout.js';
import { canAdminister, canReadAudit, canReadContent } from './roles.js';

export interface RenderOptions {
  title: string;
  active?: Section;
  body: SafeHtml;
  status?: number;
}

export type Render = (reply: FastifyReply, viewer: Viewer | undefined, options: RenderOptions) => FastifyReply;

export function createRender(config: Config): Render {
  return (reply, viewer, options) => {
    const nav = viewer
      ? { queue: canReadContent(viewer, config), audit: canReadAudit(viewer, config), admin: canAdminister(viewer) }
      : undefined;
    return reply
      .code(options.status ?? 200)
      .type('text/html; charset=utf-8')
      .send(
        page({
          title: options.title,
          organisation: config.organisation.name,
          ...(viewer ? { viewer } : {}),
          ...(nav ? { nav } : {}),
          active: options.active ?? 'none',
          body: options.body,
        }),
      );
  };
}
