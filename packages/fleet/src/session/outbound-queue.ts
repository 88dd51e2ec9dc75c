import { CloseCode, encodeFrame, type TDesiredFrame, type THubFrame } from "@stratum/protocol";

/** The part of a `ws` WebSocket the queue needs; a `ws` instance satisfies it as is. */
export interface TOutboundSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string, callback: (error?: Error) => void): void;
  close(code: number, reason: string): void;
}

const SOCKET_OPEN = 1;

export type TOutboundQueueOptions = {
  /** Stop handing frames to the socket while this many bytes wait in its send buffer. */
  highWaterMarkBytes?: number;
  /** A peer that lets this many non-coalescable frames pile up is closed as a slow consumer. */
  maxPendingFrames?: number;
  /** Re-check interval when the buffer is full but no send callback is outstanding. */
  retryMs?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
};

type TSlot = { kind: "frame"; frame: THubFrame } | { kind: "desired" };

/**
 * Per-connection outbound queue. Sending never awaits, so one slow socket cannot hold up the loop
 * that fans a change out to thousands. Desired state is level-triggered: while a generation waits
 * to be written, a newer one replaces it in place, so a slow agent receives only the latest.
 */
export class OutboundQueue {
  readonly #socket: TOutboundSocket;
  readonly #highWaterMarkBytes: number;
  readonly #maxPendingFrames: number;
  readonly #retryMs: number;
  readonly #setTimer: (callback: () => void, ms: number) => unknown;
  readonly #slots: TSlot[] = [];
  #pendingDesired: TDesiredFrame | null = null;
  #highestGeneration = -1;
  #lastSentGeneration = -1;
  #inFlight = 0;
  #retryScheduled = false;
  #closed = false;

  constructor(socket: TOutboundSocket, options: TOutboundQueueOptions = {}) {
    this.#socket = socket;
    this.#highWaterMarkBytes = options.highWaterMarkBytes ?? 1024 * 1024;
    this.#maxPendingFrames = options.maxPendingFrames ?? 256;
    this.#retryMs = options.retryMs ?? 50;
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms).unref());
  }

  get pendingFrames(): number {
    return this.#slots.length;
  }

  /** The newest desired generation handed to the socket, -1 before the first. */
  get lastSentGeneration(): number {
    return this.#lastSentGeneration;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Queues a non-desired frame in order (welcome, error, ping, pong). */
  send(frame: Exclude<THubFrame, TDesiredFrame>): void {
    if (this.#closed) return;
    const controlFrames = this.#slots.length - (this.#pendingDesired === null ? 0 : 1);
    if (controlFrames >= this.#maxPendingFrames) {
      this.#abort(`outbound queue overflow: ${controlFrames} frames unread`);
      return;
    }
    this.#slots.push({ kind: "frame", frame });
    this.flush();
  }

  /**
   * Queues a desired generation. Returns false when it is not newer than one already queued or
   * sent, because generations only move forward.
   */
  sendDesired(frame: TDesiredFrame): boolean {
    if (this.#closed || frame.generation <= this.#highestGeneration) return false;
    this.#highestGeneration = frame.generation;
    if (this.#pendingDesired === null) this.#slots.push({ kind: "desired" });
    this.#pendingDesired = frame;
    this.flush();
    return true;
  }

  /** Hands queued frames to the socket until its buffer reaches the high-water mark. */
  flush(): void {
    while (!this.#closed && this.#slots.length > 0) {
      if (this.#socket.readyState !== SOCKET_OPEN) return;
      if (this.#socket.bufferedAmount >= this.#highWaterMarkBytes) {
        // Completed sends re-enter flush; with none outstanding nothing else would wake us.
        if (this.#inFlight === 0) this.#scheduleRetry();
        return;
      }
      const slot = this.#slots.shift()!;
      const frame = slot.kind === "frame" ? slot.frame : this.#takeDesired();
      this.#write(frame);
    }
  }

  #takeDesired(): TDesiredFrame {
    const frame = this.#pendingDesired!;
    this.#pendingDesired = null;
    this.#lastSentGeneration = frame.generation;
    return frame;
  }

  #write(frame: THubFrame): void {
    this.#inFlight += 1;
    this.#socket.send(encodeFrame(frame), (error) => {
      this.#inFlight -= 1;
      // A failed write means the socket is going away; its close handler owns the cleanup.
      if (error) this.#closed = true;
      else this.flush();
    });
  }

  #scheduleRetry(): void {
    if (this.#retryScheduled) return;
    this.#retryScheduled = true;
    this.#setTimer(() => {
      this.#retryScheduled = false;
      this.flush();
    }, this.#retryMs);
  }

  #abort(reason: string): void {
    this.#closed = true;
    this.#slots.length = 0;
    this.#pendingDesired = null;
    this.#socket.close(CloseCode.SLOW_CONSUMER, reason);
  }
}
