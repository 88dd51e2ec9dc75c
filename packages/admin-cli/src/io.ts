/** Where a command writes and reads, so tests can run commands in-process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}
