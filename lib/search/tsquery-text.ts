// PostgreSQL's text form of a tsquery ("( 'headphon' | 'earphon' ) & 'soni'") parsed into a tree,
// so the in-memory text index can evaluate the exact query PostgreSQL built with its stemmers
// and stop words. Only AND and OR of plain lexemes are supported: search queries are made of
// [a-z0-9] words (normalize-query.ts), which never stem into phrases, prefixes or negations;
// anything else is reported as unsupported and searched in SQL.

export type TsqueryNode = { lexeme: string } | { op: "and" | "or"; args: TsqueryNode[] };

export class UnsupportedTsquery extends Error {
  override name = "UnsupportedTsquery";
}

/** The tree of `text`, or null for the empty query (only stop words). */
export function parseTsquery(text: string): TsqueryNode | null {
  let at = 0;
  const skipSpaces = () => {
    while (text[at] === " ") at++;
  };
  const unsupported = (what: string): never => {
    throw new UnsupportedTsquery(`${what} at ${at} in ${text}`);
  };

  const operand = (): TsqueryNode => {
    skipSpaces();
    if (text[at] === "(") {
      at++;
      const inner = either();
      skipSpaces();
      if (text[at] !== ")") unsupported("missing )");
      at++;
      return inner;
    }
    if (text[at] === "!") unsupported("negation");
    if (text[at] !== "'") unsupported("expected a lexeme");
    at++;
    let lexeme = "";
    for (;;) {
      const c = text[at];
      if (c === undefined) unsupported("unterminated lexeme");
      if (c === "'" || c === "\\") {
        // Doubled in the text form: '' is a quote, \\ a backslash; a single quote ends the lexeme.
        if (text[at + 1] === c) {
          lexeme += c;
          at += 2;
          continue;
        }
        if (c === "'") break;
      }
      lexeme += c;
      at++;
    }
    at++;
    if (text[at] === ":") unsupported("prefix or weight");
    return { lexeme };
  };

  const chain = (op: "and" | "or", symbol: string, next: () => TsqueryNode) => (): TsqueryNode => {
    const args = [next()];
    for (;;) {
      skipSpaces();
      if (text[at] !== symbol) break;
      at++;
      args.push(next());
    }
    return args.length === 1 ? (args[0] as TsqueryNode) : { op, args };
  };
  const phrase = (): TsqueryNode => {
    const node = operand();
    skipSpaces();
    if (text[at] === "<") unsupported("phrase");
    return node;
  };
  const both = chain("and", "&", phrase);
  const either = chain("or", "|", both);

  skipSpaces();
  if (at === text.length) return null;
  const tree = either();
  skipSpaces();
  if (at !== text.length) unsupported("trailing text");
  return tree;
}

/** Lexemes of the tree, each once. */
export function lexemesOf(node: TsqueryNode, into = new Set<string>()): Set<string> {
  if ("lexeme" in node) into.add(node.lexeme);
  else for (const arg of node.args) lexemesOf(arg, into);
  return into;
}
