// Where accepted mail goes next: the school's real outbound relay (SMTP) or, for trying Chaperone out, a folder.
// Two implementations: smtp-upstream.ts and dir-upstream.ts; createUpstream picks one from the `upstream` setting.

export interface UpstreamEnvelope {
  from: string;
  to: string[];
}

export type DeliveryResult =
  | { ok: true; response: string }
  /**
   * permanent: the upstream refused for good (5xx); otherwise try again later (4xx, connection failure, timeout).
   * deliveredTo: how many recipients it took when it refused only some.
   */
  | { ok: false; permanent: boolean; response: string; code?: number; deliveredTo?: number };

export interface Upstream {
  /** Hands one message to the upstream; resolves once it has accepted or refused. Never throws for delivery failures. */
  deliver(envelope: UpstreamEnvelope, raw: Buffer): Promise<DeliveryResult>;
  close(): Promise<void>;
}
