// The rules of a message's <style> elements that can hide text, by simple selector (p, .preheader, td.x, #note), so
// `<style>.h{display:none}</style> ... <span class="h">` hides filler as surely as an inline style does.

/** Characters of one style attribute read: a longer one is read at its head (a declaration list, not a document). */
export const MAX_STYLE_CHARS = 2048;
/** Characters of <style> text read per message: a template's sheet is a few KB; past this the rest is not applied. */
export const MAX_STYLE_SHEET_CHARS = 100_000;
/** Selectors kept per message; only those setting a property that can hide text are kept at all. */
export const MAX_SHEET_SELECTORS = 2_000;

/** The properties that can hide text; rules setting none of them (margins, fonts) are not kept. */
const HIDING_PROPERTIES = new Set([
  'display', 'visibility', 'opacity', 'font-size', 'color', 'background', 'background-color', 'height', 'max-height',
  'width', 'max-width', 'overflow', 'overflow-x', 'overflow-y', 'transform', 'position', 'left', 'top', 'margin-left',
  'margin-top', 'clip', 'text-indent',
]); // prettier-ignore

/** Nested `@media`/`@supports` blocks read: deeper ones are skipped, so a hostile sheet cannot recurse deeply. */
const MAX_AT_RULE_DEPTH = 4;
/** A media query every screen matches, whatever its size. */
const EVERY_SCREEN = /^@media\s+(?:only\s+)?(?:all|screen)(?:\s*,\s*(?:only\s+)?(?:all|screen))*$/i;

/** Whether an at-rule's block applies to a reader on any screen: @media for every screen, or @supports. */
function alwaysApplies(prelude: string): boolean {
  return EVERY_SCREEN.test(prelude) || /^@supports[\s(]/i.test(prelude);
}

/** One simple selector: a tag, a class, an id, or a tag with one class or id. Anything more is not applied. */
const SIMPLE_SELECTOR = /^([a-z][a-z0-9]*)?(?:([.#])([a-z0-9_-]+))?$/i;

/** Declarations as lower-case property -> value ("!important" dropped). */
export function declarations(style: string | undefined, into = new Map<string, string>()): Map<string, string> {
  if (!style) return into;
  for (const declaration of style.slice(0, MAX_STYLE_CHARS).split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration
      .slice(colon + 1)
      .replace(/!\s*important/i, '')
      .trim()
      .toLowerCase();
    if (property !== '' && value !== '') into.set(property, value);
  }
  return into;
}

export class StyleSheet {
  /** Selector key ("p", ".x", "#x", "p.x", "p#x") -> the hiding declarations of every rule for it, in order. */
  private readonly rules = new Map<string, Map<string, string>>();
  private charsRead = 0;

  get size(): number {
    return this.rules.size;
  }

  /**
   * Reads the text of one <style> element. Rules inside `@media` blocks that match every screen (`all`, `screen`,
   * `only screen`) and inside `@supports` are applied, since the reader sees them whatever the device; rules for print,
   * speech or a range of sizes (a phone layout hiding a desktop column) are not, and nor are other at-rules.
   */
  add(css: string): void {
    const room = MAX_STYLE_SHEET_CHARS - this.charsRead;
    if (room <= 0) return;
    const text = withoutComments(css.slice(0, room));
    this.charsRead += Math.min(css.length, room);
    this.addRules(text, 0, text.length, 0);
  }

  private addRules(text: string, from: number, to: number, depth: number): void {
    let at = from;
    while (at < to) {
      const open = text.indexOf('{', at);
      if (open < 0 || open >= to) return;
      const prelude = text.slice(at, open).trim();
      if (prelude.startsWith('@') || prelude.includes('@')) {
        const end = Math.min(afterBlock(text, open), to);
        if (depth < MAX_AT_RULE_DEPTH && alwaysApplies(prelude)) this.addRules(text, open + 1, end - 1, depth + 1);
        at = end;
        continue;
      }
      const close = text.indexOf('}', open);
      const bodyEnd = close < 0 || close > to ? to : close;
      const body = text.slice(open + 1, bodyEnd);
      at = bodyEnd + 1;
      const hiding = new Map([...declarations(body)].filter(([property]) => HIDING_PROPERTIES.has(property)));
      if (hiding.size > 0) this.keep(prelude, hiding);
    }
  }

  /** Whether any rule applies to an element. */
  matches(tag: string, classes: string | undefined, id: string | undefined): boolean {
    let found = false;
    this.forEachKey(tag, classes, id, (key) => (found ||= this.rules.has(key)));
    return found;
  }

  /** The sheet's hiding declarations for an element, least specific first (tag, then class, then id). */
  matching(tag: string, classes: string | undefined, id: string | undefined): Map<string, string> {
    const merged = new Map<string, string>();
    this.forEachKey(tag, classes, id, (key) => {
      for (const [property, value] of this.rules.get(key) ?? []) merged.set(property, value);
    });
    return merged;
  }

  private forEachKey(
    tag: string,
    classes: string | undefined,
    id: string | undefined,
    apply: (key: string) => void,
  ): void {
    apply(tag);
    if (classes) {
      for (const name of classes.toLowerCase().split(/\s+/)) {
        if (name === '') continue;
        apply(`.${name}`);
        apply(`${tag}.${name}`);
      }
    }
    if (id) {
      const name = id.toLowerCase();
      apply(`#${name}`);
      apply(`${tag}#${name}`);
    }
  }

  private keep(selectors: string, hiding: Map<string, string>): void {
    for (const selector of selectors.toLowerCase().split(',')) {
      const match = SIMPLE_SELECTOR.exec(selector.trim());
      if (!match || (!match[1] && !match[3])) continue;
      const key = `${match[1] ?? ''}${match[2] ?? ''}${match[3] ?? ''}`;
      let rule = this.rules.get(key);
      if (rule === undefined) {
        if (this.rules.size >= MAX_SHEET_SELECTORS) return;
        rule = new Map();
        this.rules.set(key, rule);
      }
      for (const [property, value] of hiding) rule.set(property, value);
    }
  }
}

/** CSS without its comments, in one pass (an unclosed comment runs to the end, as in CSS). */
function withoutComments(css: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const start = css.indexOf('/*', at);
    if (start < 0) return out + css.slice(at);
    out += css.slice(at, start);
    const end = css.indexOf('*/', start + 2);
    if (end < 0) return out;
    at = end + 2;
  }
}

/** The offset just past the block that opens at `open`, nested blocks included (an @media's rules). */
function afterBlock(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i + 1;
  }
  return text.length;
}
