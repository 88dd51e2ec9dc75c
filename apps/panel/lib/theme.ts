export type ThemeChoice = "system" | "light" | "dark";

export const THEME_STORAGE_KEY = "stratum.theme";

export function parseThemeChoice(value: string | null | undefined): ThemeChoice {
  return value === "light" || value === "dark" ? value : "system";
}

/** Applies the saved theme before first paint, so a dark-mode operator never sees a light flash. */
export const THEME_INIT_SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;
