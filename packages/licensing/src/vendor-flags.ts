import { z } from "zod";
import type { TIssueLicenseInput } from "./license-token.ts";
import { ZFeature, ZPlanId } from "./plans.ts";

/**
 * The vendor tools' inputs as text (command-line flags), parsed once at the edge into what
 * `issueLicense` and `startLicenseServer` take.
 */
const ZCount = z
  .string()
  .regex(/^\d{1,7}$/, "must be a whole number")
  .transform(Number);

const ZDate = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], "must be an ISO date such as 2027-12-31")
  .transform((s) => new Date(s));

export const ZIssueLicenseFlags = z
  .object({
    vendorKey: z.string().min(1),
    licensee: z.string().trim().min(1, "must name the organisation"),
    contact: z.string().trim().optional(),
    plan: ZPlanId.exclude(["free"], "must be one of standard, pro, enterprise"),
    seats: ZCount,
    gatewaySeats: ZCount.optional(),
    expires: ZDate,
    notBefore: ZDate.optional(),
    features: z
      .string()
      .transform((list) =>
        list
          .split(",")
          .map((f) => f.trim())
          .filter(Boolean),
      )
      .pipe(z.array(ZFeature))
      .optional(),
    installation: z.string().trim().min(1).optional(),
    graceDays: ZCount.optional(),
  })
  .transform((flags) => ({
    vendorKeyPath: flags.vendorKey,
    license: {
      licensee: { organisation: flags.licensee, contact: flags.contact },
      plan: flags.plan,
      seats: { compute: flags.seats, gateway: flags.gatewaySeats },
      features: flags.features,
      notBefore: flags.notBefore,
      expiresAt: flags.expires,
      graceDays: flags.graceDays,
      installationId: flags.installation,
    } satisfies TIssueLicenseInput,
  }));

export const ZServeFlags = z.object({
  vendorKey: z.string().min(1),
  port: ZCount.pipe(z.number().max(65_535)),
  host: z.string().min(1),
  state: z.string().min(1).optional(),
});

/** Parses flags, naming each bad one as it was typed (`--grace-days must be a whole number`). */
export function parseVendorFlags<T extends z.ZodType>(schema: T, flags: unknown): z.output<T> {
  const parsed = schema.safeParse(flags);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues
        .map(
          (i) => `--${String(i.path[0] ?? "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${i.message}`,
        )
        .join("; "),
    );
  }
  return parsed.data;
}
