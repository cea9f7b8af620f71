// Web links in normalised text, with or without a scheme ("https://x.blogspot.com/p", "linktr.ee/jo",
// "www.jo.net"), split into host and path for the social and website detectors.

import type { MappedText } from '../mapped-text.js';
import { TextGate } from '../text-gates.js';
import { mayMatch, type DetectorContext } from './types.js';

export interface Link {
  start: number;
  end: number;
  /** Lower-case host without "www.". */
  host: string;
  /** Path, query and fragment, starting with "/" (or ""). */
  path: string;
}

/** A path longer than this is cut: nothing a detector looks at lies that deep, and it bounds the regex. */
const MAX_PATH_CHARS = 300;
const LINK = new RegExp(
  String.raw`(?<![a-z0-9@._%+\-/])(?:https?:\/\/)?((?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.){1,8}[a-z]{2,24})(?::[0-9]{2,5})?(?![a-z0-9\-@])((?:[/?#][^\s<>"'()\[\]{}]{0,${MAX_PATH_CHARS}})?)`,
  'g',
);
/** Final labels that are file types, not top-level domains: "report.pdf" is not a website. */
const FILE_EXTENSIONS = new Set(['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'jpg', 'jpeg', 'png', 'gif', 'txt', 'csv', 'zip', 'mp3', 'mp4', 'mov', 'html', 'htm', 'heic', 'webp', 'odt', 'rtf', 'pages', 'key', 'numbers', 'eml', 'msg', 'js', 'ts', 'json', 'xml', 'exe']); // prettier-ignore
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;
/** Every link's host ends in a label, a dot and a top-level domain of two letters or more. */
const LINK_GATE = new TextGate(String.raw`[a-z0-9]\.[a-z]{2}`);

/** The links of a part's text: the scan the social and website detectors share through scanOnce. */
export function linksIn(mapped: MappedText, context: DetectorContext): readonly Link[] {
  return mayMatch(context, LINK_GATE) ? findLinks(mapped.text) : [];
}

export function findLinks(text: string): Link[] {
  const links: Link[] = [];
  LINK.lastIndex = 0;
  for (;;) {
    // Measured: LINK's look-behind, tried at every character, made it the dearest regex on mail with one link.
    const from = earliestLinkStart(text, LINK.lastIndex);
    if (from < 0) break;
    LINK.lastIndex = from;
    const match = LINK.exec(text);
    if (match === null) break;
    const host = match[1]!.replace(/^www\./, '');
    const tld = host.slice(host.lastIndexOf('.') + 1);
    if (FILE_EXTENSIONS.has(tld)) continue;
    const path = match[2]!.replace(TRAILING_PUNCTUATION, '');
    const end = match.index + match[0].length - (match[2]!.length - path.length);
    links.push({ start: match.index, end, host, path });
  }
  return links;
}

/**
 * The earliest place LINK's next match from `from` can start. A link holds a label's last character, a dot and two
 * letters ("x.co", LINK_GATE), and runs from its start to that dot on scheme, label and dot characters only; so no
 * match starts before the run of such characters that leads up to the first such dot. -1 when there is none.
 */
function earliestLinkStart(text: string, from: number): number {
  for (let dot = text.indexOf('.', from); dot >= 0; dot = text.indexOf('.', dot + 1)) {
    if (!isLabelEnd(text.charCodeAt(dot - 1)) || !isLetter(text.charCodeAt(dot + 1))) continue;
    if (!isLetter(text.charCodeAt(dot + 2))) continue;
    let start = dot;
    while (start > from && isBeforeTopLevelDomain(text.charCodeAt(start - 1))) start--;
    return start;
  }
  return -1;
}

/** a-z */
function isLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

/** a-z 0-9 */
function isLabelEnd(code: number): boolean {
  return isLetter(code) || (code >= 48 && code <= 57);
}

/** What a link is made of before its top-level domain: a-z 0-9 - . and its scheme's : and / */
function isBeforeTopLevelDomain(code: number): boolean {
  return isLabelEnd(code) || code === 45 || code === 46 || code === 58 || code === 47;
}
