export interface NodeEventText {
  title: string;
  detail: string | undefined;
  tone: "neutral" | "success" | "warning" | "danger";
}

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

function joined(...parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((p) => p !== undefined);
  return present.length > 0 ? present.join(" · ") : undefined;
}

/** A node's connection event in an operator's words; unknown kinds still show what they carry. */
export function describeNodeEvent(kind: string, detail: Record<string, unknown>): NodeEventText {
  const reason = text(detail.reason);
  const code = text(detail.code);
  switch (kind) {
    case "enrolled":
      return {
        title: "Enrolled",
        detail: joined(
          text(detail.hostname) && `host ${text(detail.hostname)}`,
          text(detail.joinToken) && `token “${text(detail.joinToken)}”`,
        ),
        tone: "neutral",
      };
    case "connected":
      return {
        title: "Connected",
        detail: joined(
          text(detail.agentVersion) && `agent ${text(detail.agentVersion)}`,
          text(detail.protocol) && `protocol ${text(detail.protocol)}`,
          text(detail.remote) && `from ${text(detail.remote)}`,
        ),
        tone: "success",
      };
    case "disconnected":
      return { title: "Disconnected", detail: joined(code && `close code ${code}`, reason), tone: "warning" };
    case "rejected":
      return { title: "Rejected by the hub", detail: reason, tone: "danger" };
    case "revoked":
      return { title: "Revoked", detail: reason, tone: "danger" };
    case "protocol-error":
      return {
        title: "Protocol error",
        detail: joined(code && `close code ${code}`, reason),
        tone: "danger",
      };
    default:
      return {
        title: kind,
        detail: joined(
          ...Object.entries(detail).map(([key, value]) => `${key}: ${text(value) ?? JSON.stringify(value)}`),
        ),
        tone: "neutral",
      };
  }
}
