/** Tracks the heading stack while a parser walks a document, so every block knows the headings it sits under. */
export class SectionPath {
  #stack: { level: number; text: string }[] = [];

  /** Enters a heading: closes every open heading at the same or a deeper level, then opens this one. */
  enter(level: number, text: string): void {
    while (this.#stack.length > 0 && this.#stack[this.#stack.length - 1]!.level >= level) this.#stack.pop();
    this.#stack.push({ level, text });
  }

  /** The open headings, outermost first (a fresh copy: blocks keep their own). */
  current(): string[] {
    return this.#stack.map((h) => h.text);
  }
}

/** Collapses runs of spaces and tabs (not newlines) and trims: extracted text is full of layout whitespace. */
export function squeeze(text: string): string {
  return text
    .replace(/[ \t\u00A0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .trim();
}
