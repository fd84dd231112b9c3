// The word and character count shown under the editor. Pure.

// Return {words, characters} of a document's plain text (Quill's getText()).
// Characters are user-perceived code points; the final newline is not one.
export function countText(text) {
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const words = body.match(/[^\s]+/gu) || [];
  return { words: words.length, characters: Array.from(body.replace(/\n/g, "")).length };
}

export function countLabel({ words, characters }) {
  const plural = (count, noun) => `${count.toLocaleString("en")} ${noun}${count === 1 ? "" : "s"}`;
  return `${plural(words, "word")} · ${plural(characters, "character")}`;
}
