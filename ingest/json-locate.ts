/**
 * Where is a JSON syntax error? Node 20's JSON.parse messages often give neither position
 * nor context, and users need both. This scanner runs only after JSON.parse failed: it
 * walks the text as JSON and reports the first offending offset as line/column plus the
 * JSON path of the value being read there.
 */
import { jsonPathJoin } from './errors.js';

export interface JsonErrorLocation {
  line: number;
  column: number;
  path: string;
  problem: string;
}

class Stop extends Error {
  constructor(
    readonly at: number,
    readonly problem: string,
    readonly path: string,
  ) {
    super(problem);
  }
}

export function locateJsonError(text: string): JsonErrorLocation | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const describeAt = () =>
    i >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[i])}`;
  const literal = (word: string, path: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else throw new Stop(i, describeAt(), path);
  };
  const string = (path: string) => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) throw new Stop(i, 'control character inside a string', path);
      if (text[i] === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'bad \\u escape', path);
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new Stop(i, 'bad escape in a string', path);
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= text.length) throw new Stop(i, 'unterminated string', path);
    i++;
  };
  const number = (path: string) => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-') throw new Stop(i, describeAt(), path);
    i += m[0].length;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') object(path);
    else if (c === '[') array(path);
    else if (c === '"') string(path);
    else if (c === 't') literal('true', path);
    else if (c === 'f') literal('false', path);
    else if (c === 'n') literal('null', path);
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number(path);
    else throw new Stop(i, `${describeAt()} where a value was expected`, path);
  };
  const object = (path: string) => {
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') throw new Stop(i, `${describeAt()} where a property name was expected`, path);
      const start = i;
      string(path);
      const key = JSON.parse(text.slice(start, i)) as string;
      ws();
      if (text[i] !== ':')
        throw new Stop(i, `${describeAt()} where ":" was expected`, jsonPathJoin(path, key));
      i++;
      value(jsonPathJoin(path, key));
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      throw new Stop(i, `${describeAt()} where "," or "}" was expected`, path);
    }
  };
  const array = (path: string) => {
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (let n = 0; ; n++) {
      value(jsonPathJoin(path, n));
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      throw new Stop(i, `${describeAt()} where "," or "]" was expected`, path);
    }
  };
  try {
    value('$');
    ws();
    if (i < text.length) throw new Stop(i, `${describeAt()} after the end of the document`, '$');
    return null;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    const before = text.slice(0, err.at);
    const line = before.split('\n').length;
    return { line, column: err.at - before.lastIndexOf('\n'), path: err.path, problem: err.problem };
  }
}
