import { EventEmitter, on } from "node:events";
import type { Database } from "@stratum/db";
import { LIVE_CHANNEL } from "@stratum/db/audit";
import { z } from "zod";

/** Changes announced to every panel replica through PostgreSQL NOTIFY, for live pages. */

export const ZLiveEvent = z.object({ topic: z.string().min(1).max(64), id: z.string().max(128).optional() });
export type TLiveEvent = z.infer<typeof ZLiveEvent>;

export interface LiveFeed {
  /** Yields events of `topic` until `signal` aborts. */
  subscribe(topic: string, signal: AbortSignal | undefined): AsyncGenerator<TLiveEvent>;
  close(): Promise<void>;
}

export function createLiveFeed(db: Database, onError: (error: unknown) => void): LiveFeed {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let unlisten: Promise<() => Promise<void>> | undefined;
  const start = () => {
    unlisten ??= db.sql.listen(LIVE_CHANNEL, (payload) => {
      try {
        const event = ZLiveEvent.parse(JSON.parse(payload));
        emitter.emit(event.topic, event);
      } catch (error) {
        onError(error);
      }
    });
    return unlisten;
  };
  return {
    async *subscribe(topic, signal) {
      await start();
      for await (const [event] of on(emitter, topic, { signal })) yield event as TLiveEvent;
    },
    async close() {
      if (unlisten) await (await unlisten)();
      emitter.removeAllListeners();
    },
  };
}
