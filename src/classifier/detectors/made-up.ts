// What an account or mailbox name looks like when nothing else in the sentence says it is one.

/** Look-ahead: a handle nobody would write as a word ("jhughes_99", "fiona.swims"; not "e.g.", not "v2.0"). */
export const MADE_UP = String.raw`(?=[a-z0-9._\-]{0,29}[0-9._])(?=(?:[0-9._\-]{0,29}[a-z]){3})(?!(?:[a-z]\.){2})`;
