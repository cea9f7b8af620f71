// The XML of Office and OpenDocument parts, read with htmlparser2 in time linear in its length whatever its shape:
// elements nested past MAX_XML_DEPTH, or tags that do not nest, make the document unreadable.

import { Parser, type Handler } from 'htmlparser2';
import { UnreadableDocument } from './unreadable-document.js';

/**
 * Elements open at once in one XML part. htmlparser2's element stack makes each tag cost the depth it sits at, so
 * 300,000 nested <w:p> in a 3 KB .docx took 55 s to read (1,000,000: minutes). Word and OpenDocument files nest a few
 * dozen deep (a table in a table in a text box is about 40); 60 MB of empty elements 250 deep read in 2.2 s, 60 MB of
 * ordinary paragraphs in 1.6 s. Deeper, the document is not read (as HTML past MAX_HTML_DEPTH is not rendered).
 */
export const MAX_XML_DEPTH = 256;

/**
 * Reads `xml` with htmlparser2, stopping with UnreadableDocument once elements nest past MAX_XML_DEPTH, or where a
 * tag closes an element that is not the innermost open one (never so in well-formed XML): htmlparser2 searches its
 * whole stack for such a tag, and 60 MB of them at depth 500 took 8 s.
 */
export function readXml(xml: string, handlers: Partial<Handler>): void {
  const parser = new NestingParser(xml, handlers);
  parser.write(xml);
  parser.end();
}

/**
 * htmlparser2's Parser with its own stack of open element names, kept from the tokenizer's callbacks (the Parser
 * methods it calls; htmlparser2's version is pinned): an element opens at a cost of at most MAX_XML_DEPTH and every
 * close is found at the top of the stack. Errors thrown here leave write() at once, so the rest is never read.
 */
class NestingParser extends Parser {
  private readonly open: string[] = [];

  constructor(
    private readonly xml: string,
    handlers: Partial<Handler>,
  ) {
    super(handlers, { xmlMode: true, decodeEntities: true });
  }

  override onopentagname(start: number, endIndex: number): void {
    if (this.open.length >= MAX_XML_DEPTH) {
      throw new UnreadableDocument(`its contents are nested more than ${MAX_XML_DEPTH} levels deep`);
    }
    this.open.push(this.xml.slice(start, endIndex));
    super.onopentagname(start, endIndex);
  }

  override onclosetag(start: number, endIndex: number): void {
    if (this.open[this.open.length - 1] !== this.xml.slice(start, endIndex)) {
      throw new UnreadableDocument('its contents are damaged (a closing tag does not match the element it closes)');
    }
    this.open.pop();
    super.onclosetag(start, endIndex);
  }

  override onselfclosingtag(endIndex: number): void {
    this.open.pop();
    super.onselfclosingtag(endIndex);
  }
}
