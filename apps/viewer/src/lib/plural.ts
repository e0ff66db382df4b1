// "1 user", "2 users", "1,204 events": counts in sentences read right for one, too.

/** `n` (grouped for the locale) and the word, in the plural unless n is exactly 1 */
export function count(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? word : many}`;
}
