import { describe, expect, it } from "vitest";
import {
  CloseCode,
  closeCodeName,
  closeDisposition,
  closeReason,
  MAX_CLOSE_REASON_BYTES,
} from "./close-codes.ts";

describe("close codes", () => {
  it("keeps application codes in the private-use range and shutdown at 1001", () => {
    const { NORMAL, GOING_AWAY, ABNORMAL_CLOSURE, MESSAGE_TOO_BIG, INTERNAL_ERROR, ...application } =
      CloseCode;
    expect(GOING_AWAY).toBe(1001);
    for (const code of Object.values(application)) {
      expect(code).toBeGreaterThanOrEqual(4000);
      expect(code).toBeLessThanOrEqual(4999);
    }
    expect(new Set(Object.values(CloseCode)).size).toBe(Object.values(CloseCode).length);
  });

  it("stops reconnecting only when revoked", () => {
    expect(closeDisposition(CloseCode.NODE_REVOKED)).toBe("stop");
    expect(closeDisposition(CloseCode.AUTH_FAILED)).toBe("retry-slowly");
    expect(closeDisposition(CloseCode.GOING_AWAY)).toBe("reconnect");
    expect(closeDisposition(1006)).toBe("reconnect");
  });

  it("names codes for logs", () => {
    expect(closeCodeName(CloseCode.NODE_REVOKED)).toBe("node_revoked");
    expect(closeCodeName(1006)).toBe("abnormal_closure");
    expect(closeCodeName(4999)).toBe("code_4999");
  });

  it("truncates reasons to the RFC 6455 limit without splitting characters", () => {
    const reason = closeReason("revoked ".repeat(10) + "é".repeat(100));
    expect(new TextEncoder().encode(reason).byteLength).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(reason.endsWith("…")).toBe(true);
    expect(reason).not.toContain("\uFFFD");
    expect(closeReason("short")).toBe("short");
  });
});
