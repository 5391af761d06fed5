import type { Color, Painter } from './ansi';
import type { OutputStream } from './child-service';
import { formatLogLine } from './log-format';

export interface Terminal {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface ServiceOutputOptions {
  terminal: Terminal;
  paint: Painter;
  raw: boolean;
  /** Prefixes are padded to this width so that the messages line up. */
  width: number;
}

export function prefix(name: string, color: Color, options: Pick<ServiceOutputOptions, 'paint' | 'width'>): string {
  return options.paint(color, `[${name}]`.padEnd(options.width + 2));
}

/**
 * A line sink for one service: each line is formatted, prefixed with `[name]` in the
 * service's colour, and written to the stack's stdout or stderr as the service wrote it.
 */
export function serviceOutput(name: string, color: Color, options: ServiceOutputOptions): (line: string, stream: OutputStream) => void {
  const head = prefix(name, color, options);
  return (line, stream) => {
    if (!options.raw && line.trim() === '') return;
    const text = formatLogLine(line, { raw: options.raw, paint: options.paint });
    const out = text
      .split('\n')
      .map((part) => `${head} ${part}`)
      .join('\n');
    options.terminal[stream].write(`${out}\n`);
  };
}
