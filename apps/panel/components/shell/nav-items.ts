import {
  ArrowRightLeft,
  FileCog,
  KeyRound,
  LayoutDashboard,
  type LucideIcon,
  Network,
  Rocket,
  ScrollText,
  Server,
  Settings,
} from "lucide-react";

export interface NavItem {
  href: string;
  label: string;
  Icon: LucideIcon;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Dashboard", Icon: LayoutDashboard },
  { href: "/nodes", label: "Nodes", Icon: Server },
  { href: "/networks", label: "Networks", Icon: Network },
  { href: "/configs", label: "Configs", Icon: FileCog },
  { href: "/licensing", label: "Licensing", Icon: KeyRound },
  { href: "/releases", label: "Releases", Icon: Rocket },
  { href: "/migrations", label: "Migrations", Icon: ArrowRightLeft },
  { href: "/audit", label: "Audit", Icon: ScrollText },
  { href: "/settings", label: "Settings", Icon: Settings },
];

export function isActive(href: string, pathname: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
