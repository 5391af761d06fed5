/** The few SGR colours the stack output uses; `paint` is the identity when colour is off. */
export const COLORS = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
  bold: 1,
} as const;

export type Color = keyof typeof COLORS;

/** Colours told apart easily on dark and light terminals, one per service in turn. */
export const SERVICE_PALETTE: readonly Color[] = ['cyan', 'magenta', 'blue', 'green', 'yellow'];

export type Painter = (color: Color, text: string) => string;

export function painter(enabled: boolean): Painter {
  return enabled ? (color, text) => `\u001b[${COLORS[color]}m${text}\u001b[0m` : (_color, text) => text;
}

/** Colour when writing to a terminal, unless NO_COLOR asks otherwise (https://no-color.org). */
export function colorWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
