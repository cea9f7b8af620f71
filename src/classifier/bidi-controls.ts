// Finds Unicode bidirectional controls that make the screen show Latin letters or digits in another order than the
// text holds them: "\u202E321009 00770\u202C" shows the pupil "07700 900123" while the screener reads it backwards.

/** Any embedding, override or isolate control. */
const CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/**
 * One written as an HTML character reference (&#x202E; &#8238;). Looked for apart from CONTROL, and only in text with
 * "&#": one expression for both took ~15% longer on school mail, which has neither.
 */
const CONTROL_REFERENCE = /&#(?:x0*(?:202[a-e]|206[6-9])|0*(?:823[4-8]|829[4-7]))/i;

const LRE = 0x202a;
const RLE = 0x202b;
const PDF = 0x202c;
const LRO = 0x202d;
const RLO = 0x202e;
const LRI = 0x2066;
const RLI = 0x2067;
const FSI = 0x2068;
const PDI = 0x2069;

/** UAX #9's max_depth: openers past it are ignored by a conforming renderer, so they are ignored here too. */
const MAX_BIDI_DEPTH = 125;

type Direction = 'ltr' | 'rtl' | 'first-strong';

interface Opener {
  direction: Direction;
  isolate: boolean;
}

/** Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms: letters that are strongly right-to-left. */
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

/** Whether `text` (or its HTML source) may hold a bidi control: a cheap test before the scan. */
export function mayHaveBidiControls(text: string): boolean {
  return CONTROL.test(text) || (text.includes('&#') && CONTROL_REFERENCE.test(text));
}

/**
 * Whether a right-to-left embedding, override or isolate (or a first-strong isolate that starts right-to-left) is
 * open over a Latin letter or digit. Left-to-right ones are what right-to-left writers use to keep English and
 * numbers in order, so they pass. One pass; paragraph separators close everything, as in UAX #9.
 */
export function reordersLatinOrDigits(text: string): boolean {
  const stack: Opener[] = [];
  let rtlOpen = 0;
  const push = (direction: Direction, isolate: boolean): void => {
    if (stack.length >= MAX_BIDI_DEPTH) return;
    stack.push({ direction, isolate });
    if (direction === 'rtl') rtlOpen++;
  };
  const pop = (): void => {
    const top = stack.pop();
    if (top?.direction === 'rtl') rtlOpen--;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === LRE || code === LRO) push('ltr', false);
    else if (code === RLE || code === RLO) push('rtl', false);
    else if (code === LRI) push('ltr', true);
    else if (code === RLI) push('rtl', true);
    else if (code === FSI) push('first-strong', true);
    else if (code === PDF) {
      if (stack.length > 0 && !stack[stack.length - 1]!.isolate) pop();
    } else if (code === PDI) {
      // Closes the innermost open isolate and any embeddings opened inside it.
      if (stack.some((o) => o.isolate)) {
        while (stack.length > 0 && !stack[stack.length - 1]!.isolate) pop();
        pop();
      }
    } else if (code === 10 || code === 13 || code === 0x2029 || code === 0x1c || code === 0x1d || code === 0x1e) {
      stack.length = 0;
      rtlOpen = 0;
    } else if (isLatinOrDigit(code)) {
      settleFirstStrong(stack, 'ltr');
      if (rtlOpen > 0) return true;
    } else if (code >= 0x0590 && RTL_LETTER.test(text[i]!)) {
      rtlOpen += settleFirstStrong(stack, 'rtl');
    }
  }
  return false;
}

/** First-strong isolates not yet settled take the direction of this first strong letter; returns how many did. */
function settleFirstStrong(stack: Opener[], direction: 'ltr' | 'rtl'): number {
  let settled = 0;
  for (const opener of stack) {
    if (opener.direction !== 'first-strong') continue;
    opener.direction = direction;
    settled++;
  }
  return settled;
}

function isLatinOrDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
