import { readFile } from "node:fs/promises";
import { HUB_PATH, ZNodeId, ZNodeMode, ZNodeName, ZTrustedKey } from "@stratum/protocol";
import { z } from "zod";
import { writeFileAtomic } from "../fs/write-file-atomic.ts";

/** What enrollment leaves in the state directory for `run`. */
export const ZStoredEnrollment = z.object({
  nodeId: ZNodeId,
  name: ZNodeName,
  mode: ZNodeMode,
  panelUrl: z.url({ protocol: /^https?$/ }),
  audience: z.string().min(1),
  hubPath: z.literal(HUB_PATH),
  trustedKeys: z.array(ZTrustedKey),
  enrolledAt: z.iso.datetime({ offset: true }),
});
export type TStoredEnrollment = z.infer<typeof ZStoredEnrollment>;

export class EnrollmentStateError extends Error {
  override readonly name = "EnrollmentStateError";
}

export async function readStoredEnrollment(path: string): Promise<TStoredEnrollment | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    return ZStoredEnrollment.parse(JSON.parse(text));
  } catch {
    throw new EnrollmentStateError(`${path} is corrupt; enroll again with --force`);
  }
}

export function writeStoredEnrollment(path: string, enrollment: TStoredEnrollment): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(enrollment, null, 2)}\n`, 0o600);
}

/** ws(s)://panel/agent/v1, keeping any path prefix the panel is mounted under. */
export function hubUrl(enrollment: Pick<TStoredEnrollment, "panelUrl" | "hubPath">): string {
  const url = new URL(enrollment.panelUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.pathname = `${url.pathname.replace(/\/$/, "")}${enrollment.hubPath}`;
  url.search = "";
  url.hash = "";
  return url.toString();
}
