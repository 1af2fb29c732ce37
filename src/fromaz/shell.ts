/**
 * Just enough of a POSIX shell to read the `az` commands people paste from documentation and scripts: words,
 * single and double quotes, backslash escapes and line continuations (a backslash before any blank, as in
 * docs that flatten `\` + newline into `\ `), `#` comments, commands separated by newlines, `;` and `&&`,
 * and `name=value` assignments whose `$name` / `${name}` later expand. `$(…)` is never run: it stays as text.
 * Cost: O(text).
 */

export interface ShellCommand {
  /** The words, after quote removal and variable expansion. */
  readonly argv: readonly string[];
  /** 1-based line of the command's first word. */
  readonly line: number;
}

/** Splits a script into commands; assignments (`x="…"`) are applied, not returned. */
export function parseScript(text: string, vars: Map<string, string> = new Map()): ShellCommand[] {
  const out: ShellCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let line = 1;
  let startLine = 1;
  const n = text.length;

  const endWord = () => {
    if (!inWord) return;
    if (words.length === 0) startLine = line;
    words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length === 0) return;
    // Leading assignments: NAME=value … (a command of assignments only sets variables).
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) {
      const eq = words[i]!.indexOf('=');
      vars.set(words[i]!.slice(0, eq), words[i]!.slice(eq + 1));
      i++;
    }
    if (i < words.length) out.push({ argv: words.slice(i), line: startLine });
    words = [];
  };
  const expand = (at: number): [string, number] => {
    // at points after '$'
    if (text[at] === '{') {
      const close = text.indexOf('}', at);
      if (close > at) {
        const name = text.slice(at + 1, close);
        if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return [vars.get(name) ?? `\${${name}}`, close + 1];
      }
      return ['$', at];
    }
    if (text[at] === '(') {
      // Command substitution is not run: keep it verbatim up to its matching parenthesis.
      let depth = 0;
      for (let j = at; j < n; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) return [text.slice(at - 1, j + 1), j + 1];
      }
      return [text.slice(at - 1), n];
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at, at + 256));
    if (!m) return ['$', at];
    return [vars.get(m[0]) ?? `$${m[0]}`, at + m[0].length];
  };

  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) { i++; continue; }
      if (next === '\n' || next === ' ' || next === '\t' || next === '\r') {
        // Continuation (or a flattened one): a word break, never a literal blank.
        if (next === '\n') line++;
        endWord();
        i += 2;
        continue;
      }
      word += next;
      inWord = true;
      i += 2;
      continue;
    }
    if (c === '\n') { line++; endCommand(); i++; continue; }
    if (c === ';') { endCommand(); i++; continue; }
    if (c === '&' && text[i + 1] === '&') { endCommand(); i += 2; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { endWord(); i++; continue; }
    if (c === '#' && !inWord) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? n : close;
      word += text.slice(i + 1, end);
      for (let j = i + 1; j < end; j++) if (text[j] === '\n') line++;
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      inWord = true;
      i++;
      while (i < n && text[i] !== '"') {
        const d = text[i]!;
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\' || text[i + 1] === '$')) { word += text[i + 1]; i += 2; continue; }
        if (d === '$') { const [v, j] = expand(i + 1); word += v; i = j === i + 1 && v === '$' ? i + 1 : j; continue; }
        if (d === '\n') line++;
        word += d;
        i++;
      }
      i++;
      continue;
    }
    if (c === '$') {
      const [v, j] = expand(i + 1);
      word += v;
      inWord = true;
      i = j === i + 1 && v === '$' ? i + 1 : j;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  endCommand();
  return out;
}
