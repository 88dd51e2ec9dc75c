import { CloseCode, type TDesiredFrame } from "@stratum/protocol";
import { describe, expect, it } from "vitest";
import { OutboundQueue, type TOutboundSocket } from "./outbound-queue.ts";

/** A socket whose send buffer drains only when the test says so, like a peer that reads slowly. */
class ControlledSocket implements TOutboundSocket {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  readonly closes: Array<{ code: number; reason: string }> = [];
  readonly #callbacks: Array<(error?: Error) => void> = [];

  constructor(readonly drainsImmediately: boolean) {}

  send(data: string, callback: (error?: Error) => void): void {
    this.sent.push(data);
    if (this.drainsImmediately) {
      queueMicrotask(() => callback());
      return;
    }
    this.bufferedAmount += data.length;
    this.#callbacks.push(callback);
  }

  drain(): void {
    this.bufferedAmount = 0;
    for (const callback of this.#callbacks.splice(0)) callback();
  }

  close(code: number, reason: string): void {
    this.closes.push({ code, reason });
    this.readyState = 3;
  }

  types(): string[] {
    return this.sent.map((text) => (JSON.parse(text) as { type: string; generation?: number }).type);
  }

  generations(): number[] {
    return this.sent
      .map((text) => JSON.parse(text) as { generation?: number })
      .flatMap((frame) => (frame.generation === undefined ? [] : [frame.generation]));
  }
}

const desired = (generation: number): TDesiredFrame => ({
  type: "desired",
  generation,
  config: null,
  tasks: [],
});
const manualTimers = () => {
  const timers: Array<() => void> = [];
  return { timers, setTimer: (callback: () => void) => timers.push(callback) };
};

describe("OutboundQueue", () => {
  it("coalesces superseded generations while the socket is backed up (latest wins)", () => {
    const socket = new ControlledSocket(false);
    const queue = new OutboundQueue(socket, { highWaterMarkBytes: 10 });
    queue.sendDesired(desired(1));
    for (let generation = 2; generation <= 50; generation++) queue.sendDesired(desired(generation));
    expect(socket.generations()).toEqual([1]);
    expect(queue.pendingFrames).toBe(1);
    socket.drain();
    expect(socket.generations()).toEqual([1, 50]);
    expect(queue.lastSentGeneration).toBe(50);
  });

  it("never moves backwards", () => {
    const socket = new ControlledSocket(false);
    const queue = new OutboundQueue(socket);
    expect(queue.sendDesired(desired(5))).toBe(true);
    expect(queue.sendDesired(desired(4))).toBe(false);
    expect(queue.sendDesired(desired(5))).toBe(false);
    expect(socket.generations()).toEqual([5]);
  });

  it("keeps control frames in order around the coalesced desired slot", () => {
    const socket = new ControlledSocket(false);
    const queue = new OutboundQueue(socket, { highWaterMarkBytes: 1 });
    queue.send({ type: "ping", seq: 1 });
    queue.sendDesired(desired(1));
    queue.send({ type: "pong", seq: 7 });
    queue.sendDesired(desired(2));
    while (queue.pendingFrames > 0) socket.drain();
    expect(socket.types()).toEqual(["ping", "desired", "pong"]);
    expect(socket.generations()).toEqual([2]);
  });

  it("does not hold up other sockets when one is slow", () => {
    const slow = new ControlledSocket(false);
    const fast = new ControlledSocket(true);
    const slowQueue = new OutboundQueue(slow, { highWaterMarkBytes: 10 });
    const fastQueue = new OutboundQueue(fast, { highWaterMarkBytes: 10 });
    for (let generation = 1; generation <= 20; generation++) {
      slowQueue.sendDesired(desired(generation));
      fastQueue.sendDesired(desired(generation));
    }
    expect(fast.generations()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(slow.generations()).toEqual([1]);
  });

  it("closes a slow consumer whose control frames overflow", () => {
    const socket = new ControlledSocket(false);
    const queue = new OutboundQueue(socket, { highWaterMarkBytes: 1, maxPendingFrames: 3 });
    for (let seq = 0; seq < 5; seq++) queue.send({ type: "ping", seq });
    expect(socket.closes).toEqual([
      { code: CloseCode.SLOW_CONSUMER, reason: expect.stringContaining("overflow") },
    ]);
    expect(queue.closed).toBe(true);
    expect(queue.sendDesired(desired(9))).toBe(false);
  });

  it("retries on a timer when the buffer is full without an outstanding send", () => {
    const socket = new ControlledSocket(false);
    socket.bufferedAmount = 100;
    const { timers, setTimer } = manualTimers();
    const queue = new OutboundQueue(socket, { highWaterMarkBytes: 10, setTimer });
    queue.sendDesired(desired(1));
    expect(socket.sent).toHaveLength(0);
    expect(timers).toHaveLength(1);
    socket.bufferedAmount = 0;
    timers[0]!();
    expect(socket.generations()).toEqual([1]);
  });

  it("stops writing after a send fails", () => {
    const socket = new ControlledSocket(false);
    socket.send = (_data, callback) => callback(new Error("EPIPE"));
    const queue = new OutboundQueue(socket);
    queue.sendDesired(desired(1));
    expect(queue.closed).toBe(true);
  });
});
