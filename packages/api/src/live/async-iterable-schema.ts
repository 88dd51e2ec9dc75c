import { z } from "zod";

/** An output schema for subscriptions: checks the resolver yields an async iterable and validates each item. */
export function zAsyncIterable<T extends z.ZodType>(item: T) {
  return z
    .custom<AsyncIterable<z.input<T>>>(
      (value) => typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === "function",
      "Subscription must yield an async iterable.",
    )
    .transform(async function* (iterable): AsyncGenerator<z.output<T>> {
      for await (const value of iterable) yield item.parse(value);
    });
}
