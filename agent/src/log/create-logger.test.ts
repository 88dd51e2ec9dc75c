import { describe, expect, it } from "vitest";
import { captureLogs } from "../testing/capture-logs.ts";

describe("createLogger", () => {
  it("writes JSON lines and redacts tokens and private key material", () => {
    const { logger, raw, lines } = captureLogs();
    logger.info(
      {
        token: "stj_secret_join_token",
        request: { token: "eyJ.secret.jwt" },
        jwk: { kty: "OKP", d: "PRIVATE-D" },
      },
      "enrolling",
    );
    const text = raw.join("");
    expect(text).not.toContain("stj_secret_join_token");
    expect(text).not.toContain("eyJ.secret.jwt");
    expect(text).not.toContain("PRIVATE-D");
    expect(lines()[0]).toMatchObject({ msg: "enrolling", service: "cenvero-str-agent", token: "[redacted]" });
  });
});
