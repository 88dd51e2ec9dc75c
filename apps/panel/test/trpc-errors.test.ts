import { describe, expect, it } from "vitest";
import { describeError, isRetryable } from "../lib/trpc-errors.ts";

describe("describeError", () => {
  it("puts the first message of each invalid field next to that field", () => {
    const problem = describeError({
      message: "Some fields are not valid; see the messages next to them.",
      data: {
        appCode: "BAD_INPUT",
        httpStatus: 400,
        fieldErrors: {
          email: ["Enter a valid email address.", "Email address too long."],
          password: ["Too short."],
        },
      },
    });
    expect(problem).toEqual({
      message: "Some fields are not valid; see the messages next to them.",
      appCode: "BAD_INPUT",
      fieldErrors: { email: "Enter a valid email address.", password: "Too short." },
    });
  });

  it("keeps the operator-facing message of a domain error without fields", () => {
    const problem = describeError({
      message: "The setup code is not correct.",
      data: { appCode: "BAD_INPUT", httpStatus: 400 },
    });
    expect(problem).toEqual({
      message: "The setup code is not correct.",
      appCode: "BAD_INPUT",
      fieldErrors: {},
    });
  });

  it("explains failures that never reached the API instead of echoing the browser's message", () => {
    const problem = describeError(new TypeError("Failed to fetch"));
    expect(problem.appCode).toBeUndefined();
    expect(problem.message).toMatch(/did not answer/);
  });

  it("ignores field errors that are not lists of messages", () => {
    expect(describeError({ message: "x", data: { fieldErrors: { a: "oops", b: [] } } }).fieldErrors).toEqual(
      {},
    );
  });
});

describe("isRetryable", () => {
  it("retries server and network failures but not refusals", () => {
    expect(isRetryable({ data: { httpStatus: 503 } })).toBe(true);
    expect(isRetryable(new TypeError("Failed to fetch"))).toBe(true);
    expect(isRetryable({ data: { httpStatus: 401 } })).toBe(false);
    expect(isRetryable({ data: { httpStatus: 403 } })).toBe(false);
  });
});
