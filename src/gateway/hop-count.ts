// Mail-loop guard: every server a message passes adds a Received header. A message that has been through very many
// has gone round in circles (e.g. a mail-flow rule that sends Chaperone's own output back to it) and is refused.

/** Postfix's hopcount_limit default; real mail crosses well under 20 servers. */
export const MAX_HOPS = 50;
/** The header block is only scanned this far: hop counting is a safety net, not a parser. */
const MAX_HEADER_SCAN_BYTES = 256 * 1024;

/** Received header fields at the top of the message (until the blank line that ends the header block). */
export function countHops(raw: Buffer): number {
  const header = raw.subarray(0, Math.min(raw.length, MAX_HEADER_SCAN_BYTES)).toString('latin1');
  let count = 0;
  let lineStart = 0;
  while (lineStart < header.length) {
    const lineEnd = header.indexOf('\n', lineStart);
    const line = header.slice(lineStart, lineEnd === -1 ? header.length : lineEnd);
    if (line === '' || line === '\r') break;
    if (line.length >= 9 && line.slice(0, 9).toLowerCase() === 'received:') count++;
    if (lineEnd === -1) break;
    lineStart = lineEnd + 1;
  }
  return count;
}
