import { z } from "zod";
import { ZNewPassword } from "../auth/password.ts";
import { ZRole } from "../roles.ts";

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email address too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

export const ZName = z.string().trim().min(1, "Enter a name.").max(100, "Use at most 100 characters.");

export const ZUser = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: ZRole,
  disabled: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type TUser = z.infer<typeof ZUser>;

export const ZCompleteSetupInput = z.object({
  code: z.string().trim().min(1, "Enter the setup code from the server log.").max(64),
  email: ZEmail,
  name: ZName,
  password: ZNewPassword,
});

export const ZSignInInput = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(256),
});

export const ZCreateUserInput = z.object({ email: ZEmail, name: ZName, role: ZRole, password: ZNewPassword });

export const ZUpdateUserInput = z
  .object({ id: z.uuid(), role: ZRole.optional(), name: ZName.optional(), disabled: z.boolean().optional() })
  .refine(
    (v) => v.role !== undefined || v.name !== undefined || v.disabled !== undefined,
    "Nothing to change.",
  );

export const ZChangePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(256),
  newPassword: ZNewPassword,
});

export function toUser(row: {
  id: string;
  email: string;
  name: string;
  role: z.infer<typeof ZRole>;
  disabledAt: Date | null;
  createdAt: Date;
}): TUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabledAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}
