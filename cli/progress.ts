/**
 * Progress for long work, on stderr: a line redrawn in place on a terminal, and a line
 * every few seconds otherwise (CI logs), never on stdout where --json output goes.
 */
import type { CliIo } from './context.js';

export interface Progress {
  update(text: string): void;
  /** a line of its own (a warning) without garbling the line being redrawn */
  note(text: string): void;
  done(text: string): void;
}

export function progress(io: CliIo, intervalMs = 2000): Progress {
  const tty = io.stderr.isTTY === true;
  let last = 0;
  let drawn = false;
  return {
    update(text) {
      const now = Date.now();
      if (tty) {
        io.stderr.write(`\r\x1b[2K${text}`);
        drawn = true;
      } else if (now - last >= intervalMs) {
        io.stderr.write(`${text}\n`);
        last = now;
      }
    },
    note(text) {
      if (tty && drawn) io.stderr.write('\r\x1b[2K');
      io.stderr.write(`${text}\n`);
      drawn = false;
    },
    done(text) {
      if (tty && drawn) io.stderr.write('\r\x1b[2K');
      io.stderr.write(`${text}\n`);
      drawn = false;
    },
  };
}
