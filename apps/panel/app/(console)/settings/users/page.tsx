import type { Metadata } from "next";
import { UserManagement } from "@/components/settings/user-management";

export const metadata: Metadata = { title: "Users" };

export default function UsersSettingsPage() {
  return <UserManagement />;
}
