const date = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

export function formatDate(iso: string): string {
  return date.format(new Date(iso));
}

export function formatTime(iso: string): string {
  return time.format(new Date(iso));
}
