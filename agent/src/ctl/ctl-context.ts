/** What every ctl command needs from the global options, resolved lazily after commander parsed them. */
export type TCtlContext = { socketPath: () => string };

export function writeOut(text: string): void {
  process.stdout.write(`${text}\n`);
}
