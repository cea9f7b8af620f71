// The error every document reader throws for a document it cannot open at all, kept apart so that the readers of
// the package, its XML and its text can all throw it.

/** A document the reader could not open at all (not a ZIP archive, a damaged one, or one it cannot follow). */
export class UnreadableDocument extends Error {}
