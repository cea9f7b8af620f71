// YAML text with line numbers kept, so that an error found after parsing (by zod or the rule compiler)
// can still point at the line and column it came from.

import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
  snippet?: string;
}

export interface YamlSource {
  file: string;
  text: string;
  doc: Document;
  lines: LineCounter;
}

export interface YamlProblem {
  position: Position;
  message: string;
}

export function readYaml(file: string, text: string): { source: YamlSource; problems: YamlProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source = { file, text, doc, lines };
  const problems = doc.errors.map((error) => ({
    position: positionAtOffset(source, error.pos[0]),
    message: error.message.split('\n')[0] ?? error.message,
  }));
  return { source, problems };
}

export function positionAtOffset(source: YamlSource, offset: number): Position {
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col, snippet: lineText(source, line) };
}

function lineText(source: Pick<YamlSource, 'text' | 'lines'>, line: number): string | undefined {
  const start = source.lines.lineStarts[line - 1];
  if (start === undefined) return undefined;
  const end = source.text.indexOf('\n', start);
  return source.text.slice(start, end === -1 ? undefined : end).replace(/\r$/, '');
}

/**
 * Where the value at `path` starts; with `key` set, where that key of the map at `path` is written
 * (for "unknown key" errors). Falls back to the nearest ancestor that exists.
 */
export function positionOf(source: YamlSource, path: readonly PropertyKey[], key?: string): Position {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = source.doc.getIn(path.slice(0, depth) as unknown[], true) as Node | undefined;
    if (node === undefined || node === null) continue;
    if (key !== undefined && depth === path.length && isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return positionAtOffset(source, keyNode.range[0]);
    }
    if (node.range) return positionAtOffset(source, node.range[0]);
  }
  return { line: 1, column: 1, snippet: lineText(source, 1) };
}
