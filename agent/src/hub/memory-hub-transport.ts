import type { THubConnection, THubConnectionEvents, THubTransport } from "./hub-transport.ts";

/** The hub's side of one in-memory connection. */
export class MemoryHubPeer {
  readonly received: string[] = [];
  closed: { code: number; reason: string; by: "agent" | "hub" } | null = null;
  #events: THubConnectionEvents;
  #onReceive: ((text: string) => void) | undefined;

  constructor(
    readonly url: string,
    events: THubConnectionEvents,
  ) {
    this.#events = events;
  }

  /** Parsed frames the agent sent, in order. */
  frames<T = { type: string } & Record<string, unknown>>(): T[] {
    return this.received.map((text) => JSON.parse(text) as T);
  }

  onReceive(listener: (text: string) => void): void {
    this.#onReceive = listener;
  }

  open(): void {
    this.#events.onOpen();
  }

  send(frame: unknown): void {
    if (this.closed === null)
      this.#events.onMessage(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  close(code: number, reason: string): void {
    if (this.closed !== null) return;
    this.closed = { code, reason, by: "hub" };
    this.#events.onClose(code, reason);
  }

  /** Connection refused or dropped without a close frame, as `ws` reports it. */
  fail(message = "connect ECONNREFUSED"): void {
    if (this.closed !== null) return;
    this.#events.onError(new Error(message));
    this.closed = { code: 1006, reason: "", by: "hub" };
    this.#events.onClose(1006, "");
  }

  deliver(text: string): void {
    this.received.push(text);
    this.#onReceive?.(text);
  }

  closeFromAgent(code: number, reason: string): void {
    if (this.closed !== null) return;
    this.closed = { code, reason, by: "agent" };
    this.#events.onClose(code, reason);
  }
}

/**
 * In-memory transport for tests and simulations: every connect() yields a peer the test drives as
 * the hub. Nothing opens on its own; the test calls `open()` or `fail()`.
 */
export class MemoryHubTransport implements THubTransport {
  readonly peers: MemoryHubPeer[] = [];
  #onConnect: ((peer: MemoryHubPeer) => void) | undefined;

  onConnect(listener: (peer: MemoryHubPeer) => void): void {
    this.#onConnect = listener;
  }

  get latest(): MemoryHubPeer | undefined {
    return this.peers.at(-1);
  }

  connect(url: string, events: THubConnectionEvents): THubConnection {
    const peer = new MemoryHubPeer(url, events);
    this.peers.push(peer);
    this.#onConnect?.(peer);
    return {
      send: (text) => {
        if (peer.closed === null) peer.deliver(text);
      },
      close: (code, reason) => peer.closeFromAgent(code, reason),
    };
  }
}
