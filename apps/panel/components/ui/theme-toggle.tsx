"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { ToggleGroup } from "radix-ui";
import { useEffect, useState } from "react";
import { parseThemeChoice, THEME_STORAGE_KEY, type ThemeChoice } from "@/lib/theme";
import styles from "./theme-toggle.module.css";

const CHOICES = [
  { value: "system", label: "Match system theme", Icon: Monitor },
  { value: "light", label: "Light theme", Icon: Sun },
  { value: "dark", label: "Dark theme", Icon: Moon },
] as const;

function applyTheme(choice: ThemeChoice) {
  if (choice === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>("system");
  useEffect(() => setChoice(parseThemeChoice(localStorage.getItem(THEME_STORAGE_KEY))), []);

  const choose = (value: string) => {
    // Radix reports "" when the pressed item is clicked again; the choice stays as it was.
    if (!value) return;
    const next = parseThemeChoice(value);
    setChoice(next);
    applyTheme(next);
    if (next === "system") localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, next);
  };

  return (
    <ToggleGroup.Root
      type="single"
      value={choice}
      onValueChange={choose}
      aria-label="Theme"
      className={styles.group}
    >
      {CHOICES.map(({ value, label, Icon }) => (
        <ToggleGroup.Item key={value} value={value} aria-label={label} title={label} className={styles.item}>
          <Icon size={14} aria-hidden />
        </ToggleGroup.Item>
      ))}
    </ToggleGroup.Root>
  );
}
