import { MAX_FRAME_BYTES } from "@stratum/protocol";
import WebSocket from "ws";
import type { THubConnection, THubConnectionEvents, THubTransport } from "./hub-transport.ts";

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** The production transport: one `ws` client socket per connection attempt. */
export class WsHubTransport implements THubTransport {
  constructor(private readonly options: { handshakeTimeoutMs?: number } = {}) {}

  connect(url: string, events: THubConnectionEvents): THubConnection {
    const socket = new WebSocket(url, {
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
      perMessageDeflate: false,
    });
    socket.on("open", () => events.onOpen());
    socket.on("message", (data, isBinary) =>
      events.onMessage(isBinary ? toBuffer(data) : toBuffer(data).toString("utf8")),
    );
    socket.on("close", (code, reason) => events.onClose(code, reason.toString("utf8")));
    socket.on("error", (error) => events.onError(error));
    return {
      send: (text) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
      },
      close: (code, reason) => {
        if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
        else socket.close(code, reason);
      },
    };
  }
}
