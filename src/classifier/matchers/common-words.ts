// Words so frequent in any English e-mail that a phrase anchored only on them would send nearly every sentence
// to the NLP layer: articles, pronouns, auxiliaries, prepositions, conjunctions and the commonest verbs and
// adverbs of school mail. Hand-written for this purpose; a phrase needs at least one required word not listed here.

export const COMMON_WORDS: ReadonlySet<string> = new Set(
  `a an the this that these those there here
  i me my mine myself we us our ours you your yours yourself ur u he him his she her hers it its they them their
  who whom whose which what when where why how
  am is are was were be been being do does did doing done have has had having
  will would shall should can could may might must ought
  not no yes never nor neither either
  and or but so if then than as because though while until unless also too very just only even
  to of in on at by for with from about into onto over under up down out off again
  all any some each every both few more most other such same own many much lot lots
  get got gets getting go goes going went gone make made makes come came comes
  say said says see seen saw know knew known think thought want wanted like liked need needed
  let lets please thanks thank hi hello dear ok okay well now today time day week one two
  i'm you're we're they're it's that's don't doesn't didn't won't can't isn't aren't i'll you'll i've you've i'd you'd`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);
