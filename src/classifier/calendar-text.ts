// The words a calendar invitation (iCalendar, RFC 5545) shows its reader: the event's title, place, description,
// organiser and links, as calendar-aware mail programs display them under an invitation.

import { hiddenText } from './hidden-text.js';
import { htmlToText } from './html-text.js';

/** Calendar types mail programs show as an invitation (text/calendar; application/ics from some senders). */
const CALENDAR_TYPES = new Set(['text/calendar', 'application/ics', 'text/x-vcalendar']);

/**
 * Properties shown to the reader. DESCRIPTION also covers a reminder's (VALARM) text; X-ALT-DESC is Outlook's HTML
 * description; ORGANIZER and CONTACT carry a name and an address the reader can reply to.
 */
const SHOWN = /^(SUMMARY|LOCATION|DESCRIPTION|COMMENT|CONTACT|URL|X-ALT-DESC|ORGANIZER)((?:;[^:]*)?):(.*)$/i;

/** The organiser's display name, a parameter of the ORGANIZER line ("ORGANIZER;CN=John Smith:mailto:..."). */
const COMMON_NAME = /;CN=(?:"([^"]*)"|([^;:]*))/i;

export function isCalendar(contentType: string): boolean {
  return CALENDAR_TYPES.has(contentType);
}

/**
 * The shown values of an iCalendar text, one paragraph each, in their order. Text that is not iCalendar at all is
 * returned as it stands, so a mislabelled part is still screened rather than skipped.
 */
export function calendarText(source: string): string {
  if (!/BEGIN:VCALENDAR|BEGIN:VEVENT/i.test(source)) return source;
  // RFC 5545 section 3.1: a line break followed by one space or tab is a fold, not a break.
  const lines = source.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const shown: string[] = [];
  for (const line of lines) {
    const match = SHOWN.exec(line);
    if (!match) continue;
    const property = match[1]!.toUpperCase();
    const value = match[3]!;
    if (property === 'ORGANIZER') {
      const name = COMMON_NAME.exec(match[2]!);
      shown.push([name?.[1] ?? name?.[2], value.replace(/^mailto:/i, '')].filter(Boolean).join(' '));
    } else if (property === 'X-ALT-DESC') {
      const html = unescapeText(value);
      shown.push(htmlToText(html).text, hiddenText(html).text);
    } else {
      shown.push(unescapeText(value));
    }
  }
  return shown.filter((text) => text.trim() !== '').join('\n\n');
}

/** RFC 5545 section 3.3.11: "\n" or "\N" is a line break, "\," "\;" "\\" stand for themselves. */
function unescapeText(value: string): string {
  return value.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
