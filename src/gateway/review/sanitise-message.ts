// Makes a held message's HTML safe to show inside the review app: no scripts, forms, frames or styles; remote images
// not loaded (a tracking pixel would tell the sender the DSL opened it); links shown but not followable.
import sanitizeHtml from 'sanitize-html';

/** Output larger than this is cut (a DSL cannot read more, and a huge DOM would stall a phone). */
export const MAX_SANITISED_HTML_CHARS = 2_000_000;

const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'a'),
  'mark',
  'span',
  'font',
  'center',
  'u',
  's',
  'strike',
];

/** Only the marks and anchors Chaperone inserted (carrying this render's nonce) keep their id and class. */
function ownMarkup(nonce: string): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    if (attribs['data-ch'] !== nonce) return { tagName: tagName === 'mark' ? 'span' : tagName, attribs: {} };
    const kept: sanitizeHtml.Attributes = {};
    if (attribs.class) kept.class = attribs.class;
    if (attribs.id) kept.id = attribs.id;
    if (attribs['data-findings']) kept['data-findings'] = attribs['data-findings'];
    return { tagName, attribs: kept };
  };
}

export function sanitiseMessageHtml(markedSource: string, nonce: string): string {
  const clean = sanitizeHtml(markedSource, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      mark: ['id', 'class', 'data-findings'],
      span: ['id', 'class', 'title', 'data-findings'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
      ol: ['start'],
    },
    allowedClasses: {
      mark: ['finding', 'sev-low', 'sev-medium', 'sev-high'],
      span: ['anchor', 'inert-link', 'inert-image'],
    },
    allowedSchemes: [],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head'],
    transformTags: {
      mark: ownMarkup(nonce),
      span: ownMarkup(nonce),
      a: (_tag, attribs) => ({
        tagName: 'span',
        attribs: { class: 'inert-link', ...(attribs.href ? { title: `Link to ${attribs.href}` } : {}) },
      }),
      img: (_tag, attribs) => ({
        tagName: 'span',
        attribs: { class: 'inert-image' },
        text: attribs.alt ? `[picture: ${attribs.alt}]` : '[picture]',
      }),
    },
  });
  return clean.length > MAX_SANITISED_HTML_CHARS
    ? clean.slice(0, clean.lastIndexOf('<', MAX_SANITISED_HTML_CHARS))
    : clean;
}
