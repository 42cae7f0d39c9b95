/**
 * Text as search compares it, the same for what is stored and what is typed:
 * Unicode NFKC (one form for composed and decomposed letters, full-width
 * and compatibility forms), then case-folded. For Urdu and Arabic script the
 * vowel marks (zer, zabar, pesh, tanween, shadda...), the tatweel and the
 * zero-width joiners are dropped, and the letters Arabic and Urdu keyboards
 * type differently for the same Urdu letter are made one: Arabic yeh and
 * alef maksura become Farsi yeh (ی), Arabic kaf becomes keheh (ک). So
 * "کتاب" typed on an Arabic layout still finds "كتاب", and "Budget" finds "BUDGET".
 */

/** Arabic-script marks a reader may or may not type: harakat, superscript alef, Quranic annotation signs. */
const MARKS = /[\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200C\u200D\u200E\u200F]/g
const LETTERS: Record<string, string> = { '\u064A': '\u06CC', '\u0649': '\u06CC', '\u0643': '\u06A9' }
const VARIANT = /[\u064A\u0649\u0643]/g

export function searchForm (text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase('und').replace(MARKS, '').replace(VARIANT, c => LETTERS[c] ?? c).normalize('NFC')
}

/** The words of a query in search form; empty words (spaces, marks only) dropped. */
export function queryWords (query: string): string[] {
  return searchForm(query).split(/[\s\p{P}]+/u).filter(w => w.length > 0)
}

/** True when every word occurs in `text` (as a substring: "budg" finds "budget"). */
export function matchesAll (text: string, words: string[]): boolean {
  if (words.length === 0) return false
  const form = searchForm(text)
  return words.every(w => form.includes(w))
}
