/**
 * How the hub client reaches the panel. The client never opens sockets itself, so it runs
 * unchanged over real WebSockets and over the in-memory transport in tests.
 */
export interface THubConnection {
  send(text: string): void;
  close(code: number, reason: string): void;
}

export type THubConnectionEvents = {
  onOpen(): void;
  onMessage(data: string | Uint8Array): void;
  /** Fires exactly once per connection, also when connecting failed. */
  onClose(code: number, reason: string): void;
  onError(error: Error): void;
};

export interface THubTransport {
  connect(url: string, events: THubConnectionEvents): THubConnection;
}
