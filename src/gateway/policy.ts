// What to do with a message given who it goes to: screen, monitor or leave it alone, and which categories to screen.
// A message is never split: its strictest recipient decides for all of them.
import { CATEGORIES, RECIPIENT_CLASSES, type Category, type RecipientClass } from '../classifier/types.js';
import type { Config, PolicyMode } from '../config/schema.js';
import type { RecipientSummary } from './hold-store.js';

export type PolicySettings = Config['policy'];

export interface MessagePolicy {
  mode: PolicyMode;
  /** Union of the categories screened for every recipient whose class has the winning mode or a stricter one. */
  categories: Category[];
  /** The class the classifier screens as: the strictest class among recipients that are screened or monitored. */
  recipientClass: RecipientClass;
}

const MODE_STRICTNESS: Record<PolicyMode, number> = { off: 0, monitor: 1, screen: 2 };
/** When two classes share the strictest mode, rules for the more vulnerable recipient apply. */
const CLASS_STRICTNESS: Record<RecipientClass, number> = { pupil: 3, parent: 2, staff: 1, external: 0 };

/** The policy for a whole message: strictest mode (screen > monitor > off), union of categories of the screened classes. */
export function messagePolicy(policy: PolicySettings, recipients: readonly RecipientSummary[]): MessagePolicy {
  let mode: PolicyMode = 'off';
  let recipientClass: RecipientClass = 'external';
  const categories = new Set<Category>();
  for (const recipient of recipients) {
    const classPolicy = policy[recipient.class];
    if (MODE_STRICTNESS[classPolicy.mode] > MODE_STRICTNESS[mode]) mode = classPolicy.mode;
    if (classPolicy.mode === 'off') continue;
    for (const category of classPolicy.categories) categories.add(category);
    if (CLASS_STRICTNESS[recipient.class] > CLASS_STRICTNESS[recipientClass]) recipientClass = recipient.class;
  }
  return { mode, categories: CATEGORIES.filter((c) => categories.has(c)), recipientClass };
}

/** One line per class for the startup log: `pupil=screen(all) parent=screen(all) staff=off external=off`. */
export function describePolicy(policy: PolicySettings): string {
  return RECIPIENT_CLASSES.map((c) => {
    const p = policy[c];
    if (p.mode === 'off') return `${c}=off`;
    const cats = p.categories.length === CATEGORIES.length ? 'all' : p.categories.join(',');
    return `${c}=${p.mode}(${cats})`;
  }).join(' ');
}
