// Which HTML text a reader cannot see, from inline styles and attributes: display:none, visibility:hidden,
// opacity:0, scale(0), a zero or near-zero font size, a box too small to read in that hides its overflow, a box
// placed far off the page or clipped to nothing, and text the colour of its background (white on white). Filler hidden this way can split a phrase the pupil reads whole ("Don't
// <span style="display:none">forget</span> tell your parents"), so it is kept out of the rendered text and
// screened on its own. Inline styles and <style> rules with simple selectors (style-sheet.ts) are read; an external
// style sheet, a rule inside @media and a selector of more than one step are not.

import { declarations, StyleSheet } from './style-sheet.js';

/** Font sizes below this many CSS pixels cannot be read (1px text is a line of dots). */
const MIN_READABLE_FONT_PX = 2;
/** CSS pixels per absolute unit a font size is written in (1rem taken as the default 16px). */
const PX_PER_UNIT: Record<string, number> = { px: 1, pt: 4 / 3, rem: 16, pc: 16, mm: 3.78 };
/** Text whose colour is within this much of its background's, on every channel (0-255), cannot be told apart. */
const MAX_INVISIBLE_COLOUR_DIFFERENCE = 8;
/** The page background a mail program shows when the message sets none. */
const WHITE: Rgb = [255, 255, 255];

type Rgb = [number, number, number];
type Colour = Rgb | 'transparent';

/** What an element passes to its children: these properties are inherited, and a child can set them back. */
interface OpenElement {
  hides: boolean;
  /** A <style> element: its text is a style sheet. */
  styleSheet?: boolean;
  visible: boolean;
  fontPx: number;
  colour: Colour | undefined;
  /** The background behind this element's text; undefined when it cannot be known (an image, a gradient). */
  background: Rgb | undefined;
}

/** A setting an element leaves to its parent. */
const INHERIT = 'inherit';

/** What one style attribute says that matters here, parsed once per distinct attribute. */
interface StyleFacts {
  hides: boolean;
  visible: boolean | typeof INHERIT;
  /** The font size; undefined when it cannot be understood ("larger", a var()), so the parent's stands. */
  font: Length | typeof INHERIT | undefined;
  /** The text colour; undefined when it cannot be understood, so it is taken as readable. */
  colour: Colour | typeof INHERIT | undefined;
  /** The background; undefined when it cannot be known (an image, a gradient). */
  background: Rgb | typeof INHERIT | undefined;
}

interface Length {
  size: number;
  unit: string;
}

const NO_STYLE: StyleFacts = { hides: false, visible: INHERIT, font: INHERIT, colour: INHERIT, background: INHERIT };

/** Distinct style attributes remembered per message; a message of all-different styles just parses each one. */
const MAX_CACHED_STYLES = 512;

function styleFacts(style: Map<string, string>): StyleFacts {
  const visibility = style.get('visibility');
  const fontSize = style.get('font-size');
  return {
    hides: hidesSubtree(style),
    visible: visibility === undefined ? INHERIT : visibility !== 'hidden' && visibility !== 'collapse',
    font: fontSize === undefined ? INHERIT : parseLength(fontSize),
    colour: colourSetting(style.get('color')),
    background: backgroundSetting(style.get('background-color') ?? style.get('background')),
  };
}

function colourSetting(written: string | undefined): Colour | typeof INHERIT | undefined {
  if (written === undefined || written.trim() === INHERIT) return INHERIT;
  return parseColour(written);
}

const ROOT: OpenElement = { hides: false, visible: true, fontPx: 16, colour: [0, 0, 0], background: WHITE };

/**
 * Follows open and close tags in document order. An element with display:none, opacity:0, the `hidden` attribute
 * or a zero-size box hides everything inside it; visibility, font size and colour are inherited and a child can
 * undo them (email layouts set font-size:0 on a container to close gaps, and give each child its own size), so
 * those are judged for each text where it stands.
 */
export class HiddenElements {
  private readonly stack: OpenElement[] = [];
  /** Parsed style attributes by their text: templates repeat the same few hundred styles on every element. */
  private readonly styles = new Map<string, StyleFacts>();
  private readonly sheet = new StyleSheet();

  /** Call for every open tag; true when this element hides itself and everything inside it. */
  open(name: string, attribs: Record<string, string>): boolean {
    const parent = this.stack[this.stack.length - 1] ?? ROOT;
    if (name === 'style') {
      this.stack.push({ ...parent, hides: false, styleSheet: true });
      return false;
    }
    const sheetApplies = this.sheet.size > 0 && this.sheet.matches(name, attribs.class, attribs.id);
    if (!sheetApplies && attribs.style === undefined && attribs.bgcolor === undefined && !attribs.color) {
      // Most elements say nothing of their looks: they inherit all of it (and hide nothing themselves).
      const hides = 'hidden' in attribs;
      this.stack.push(parent.hides === hides && !parent.styleSheet ? parent : { ...parent, hides, styleSheet: false });
      return hides;
    }
    const facts = sheetApplies
      ? this.factsOf(`${name} ${attribs.class ?? ''} ${attribs.id ?? ''}\u0000${attribs.style ?? ''}`, () =>
          declarations(attribs.style, this.sheet.matching(name, attribs.class, attribs.id)),
        )
      : attribs.style === undefined
        ? NO_STYLE
        : this.factsOf(attribs.style, () => declarations(attribs.style));
    const colour = facts.colour === INHERIT ? colourSetting(attribs.color) : facts.colour;
    const background = facts.background === INHERIT ? backgroundSetting(attribs.bgcolor) : facts.background;
    const element: OpenElement = {
      hides: facts.hides || 'hidden' in attribs,
      visible: facts.visible === INHERIT ? parent.visible : facts.visible,
      fontPx: facts.font === INHERIT || facts.font === undefined ? parent.fontPx : inPx(facts.font, parent.fontPx),
      colour: colour === INHERIT ? parent.colour : colour,
      background: background === INHERIT ? parent.background : background,
    };
    this.stack.push(element);
    return element.hides;
  }

  /** Call for every text node: the text of a <style> element is read as a style sheet for what follows. */
  text(text: string): void {
    if (this.stack[this.stack.length - 1]?.styleSheet) this.sheet.add(text);
  }

  /** What an element's style says, parsed once per distinct style (and sheet rules, when any apply). */
  private factsOf(key: string, parse: () => Map<string, string>): StyleFacts {
    let facts = this.styles.get(key);
    if (facts === undefined) {
      if (this.styles.size >= MAX_CACHED_STYLES) this.styles.clear();
      facts = styleFacts(parse());
      this.styles.set(key, facts);
    }
    return facts;
  }

  /** Call for every close tag (htmlparser2 closes every element it opened); true when it was a hiding one. */
  close(): boolean {
    return this.stack.pop()?.hides ?? false;
  }

  /** Whether text standing here cannot be seen: hidden, too small to read, or the colour of its background. */
  get textHidden(): boolean {
    const here = this.stack[this.stack.length - 1] ?? ROOT;
    return !here.visible || here.fontPx < MIN_READABLE_FONT_PX || invisibleOn(here.colour, here.background);
  }
}

function hidesSubtree(style: Map<string, string>): boolean {
  if (style.size === 0) return false;
  if (style.get('display') === 'none') return true;
  const opacity = style.get('opacity');
  if (opacity !== undefined && parseFloat(opacity) <= 0) return true;
  if (/^scale\(\s*0(?:\.0*)?\s*(?:,\s*0(?:\.0*)?\s*)?\)$/.test(style.get('transform') ?? '')) return true;
  // A box too small to read in shows nothing of what overflows it when the overflow is hidden (the "screen reader
  // only" pattern: 1px square, overflow hidden, clipped).
  const overflow = [style.get('overflow'), style.get('overflow-x'), style.get('overflow-y')];
  if (overflow.includes('hidden')) {
    for (const property of ['height', 'max-height', 'width', 'max-width']) {
      const value = style.get(property);
      if (value !== undefined && isTinyLength(value)) return true;
    }
  }
  const position = style.get('position');
  if (position === 'absolute' || position === 'fixed') {
    // Placed far off the page: the reader would have to scroll thousands of pixels left or up, which mail cannot.
    for (const property of ['left', 'top', 'margin-left', 'margin-top']) {
      const value = style.get(property);
      if (value !== undefined && offPage(value)) return true;
    }
    if (/^rect\(\s*0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?\s*\)$/.test(style.get('clip') ?? '')) return true;
  }
  const indent = style.get('text-indent');
  return indent !== undefined && offPage(indent);
}

/** Unknown colours and backgrounds are taken as readable. */
function invisibleOn(colour: Colour | undefined, background: Rgb | undefined): boolean {
  if (colour === 'transparent') return true;
  if (colour === undefined || background === undefined) return false;
  return colour.every((channel, i) => Math.abs(channel - background[i]!) <= MAX_INVISIBLE_COLOUR_DIFFERENCE);
}

/** The background a written background (colour or shorthand) gives; unknown for an image or a gradient. */
function backgroundSetting(written: string | undefined): Rgb | typeof INHERIT | undefined {
  if (written === undefined) return INHERIT;
  if (/url\(|gradient\(/.test(written)) return undefined;
  for (const token of written.split(/\s+(?![^(]*\))/)) {
    const colour = parseColour(token);
    if (colour === 'transparent') return INHERIT;
    if (colour !== undefined) return colour;
  }
  return INHERIT;
}

const LENGTH = /^(-?\d*\.?\d+)\s*([a-z%]*)$/;

function parseLength(value: string): Length | undefined {
  const match = LENGTH.exec(value);
  return match ? { size: parseFloat(match[1]!), unit: match[2] || 'px' } : undefined;
}

/** A font size in CSS pixels; em and % are relative to the inherited size, an unknown unit leaves it as it was. */
function inPx({ size, unit }: Length, inheritedPx: number): number {
  if (size <= 0) return 0;
  if (unit === 'em') return size * inheritedPx;
  if (unit === '%') return (size / 100) * inheritedPx;
  const perUnit = PX_PER_UNIT[unit];
  return perUnit === undefined ? inheritedPx : size * perUnit;
}

/** A length of under MIN_READABLE_FONT_PX: no line of text fits in it. */
function isTinyLength(value: string): boolean {
  const length = parseLength(value);
  return length !== undefined && (length.unit === 'px' || length.size <= 0) && length.size < MIN_READABLE_FONT_PX;
}

/** Pixels left of or above the page beyond which nothing placed there can be scrolled to. */
const OFF_PAGE_PX = -999;

function offPage(value: string): boolean {
  const length = parseLength(value);
  if (length === undefined) return false;
  const perUnit = length.unit === 'em' ? 16 : PX_PER_UNIT[length.unit];
  return perUnit !== undefined && length.size * perUnit <= OFF_PAGE_PX;
}

/** The colours mail is written in most: the CSS basic keywords. */
const NAMED: Record<string, Rgb> = {
  white: [255, 255, 255], black: [0, 0, 0], silver: [192, 192, 192], gray: [128, 128, 128], grey: [128, 128, 128],
  red: [255, 0, 0], maroon: [128, 0, 0], yellow: [255, 255, 0], olive: [128, 128, 0], lime: [0, 255, 0],
  green: [0, 128, 0], aqua: [0, 255, 255], teal: [0, 128, 128], blue: [0, 0, 255], navy: [0, 0, 128],
  fuchsia: [255, 0, 255], purple: [128, 0, 128], whitesmoke: [245, 245, 245], snow: [255, 250, 250],
  ivory: [255, 255, 240], ghostwhite: [248, 248, 255],
}; // prettier-ignore

const HEX = /^#([0-9a-f]{3,8})$/;
const RGB = /^rgba?\(\s*(\d{1,3})\s*[, ]\s*(\d{1,3})\s*[, ]\s*(\d{1,3})\s*(?:[,/]\s*([\d.]+%?)\s*)?\)$/;

/** A colour as RGB, or 'transparent' (also for a zero alpha); undefined when not understood. */
function parseColour(value: string): Colour | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'transparent') return 'transparent';
  const named = NAMED[text];
  if (named) return named;
  const hex = HEX.exec(text);
  if (hex) {
    const digits = hex[1]!;
    if (digits.length === 3 || digits.length === 4) {
      if (digits.length === 4 && digits[3] === '0') return 'transparent';
      return [0, 1, 2].map((i) => parseInt(digits[i]! + digits[i]!, 16)) as Rgb;
    }
    if (digits.length === 6 || digits.length === 8) {
      if (digits.length === 8 && digits.slice(6) === '00') return 'transparent';
      return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as Rgb;
    }
    return undefined;
  }
  const rgb = RGB.exec(text);
  if (rgb) {
    if (rgb[4] !== undefined && parseFloat(rgb[4]) === 0) return 'transparent';
    return [rgb[1], rgb[2], rgb[3]].map((c) => Math.min(255, Number(c))) as Rgb;
  }
  return undefined;
}
