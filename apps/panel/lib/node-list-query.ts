export const NODE_SORTS = ["name", "mode", "agentVersion", "lastSeenAt", "enrolledAt"] as const;
export const NODE_MODES = ["compute", "gateway"] as const;
export const NODE_STATES = ["online", "offline", "revoked"] as const;

export type NodeSort = (typeof NODE_SORTS)[number];

/** What the node list shows, kept in the URL so a reload or a shared link shows the same page. */
export interface NodeListQuery {
  page: number;
  sort: NodeSort;
  direction: "asc" | "desc";
  search: string;
  mode: (typeof NODE_MODES)[number] | undefined;
  state: (typeof NODE_STATES)[number] | undefined;
  label: string;
}

export const DEFAULT_NODE_LIST_QUERY: NodeListQuery = {
  page: 1,
  sort: "name",
  direction: "asc",
  search: "",
  mode: undefined,
  state: undefined,
  label: "",
};

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((v) => v === value);
}

/** Reads the URL leniently: a hand-edited or outdated link falls back to defaults, never an error. */
export function readNodeListQuery(params: Pick<URLSearchParams, "get">): NodeListQuery {
  const page = Number(params.get("page"));
  return {
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
    sort: oneOf(NODE_SORTS, params.get("sort")) ?? DEFAULT_NODE_LIST_QUERY.sort,
    direction: params.get("dir") === "desc" ? "desc" : "asc",
    search: params.get("q")?.trim() ?? "",
    mode: oneOf(NODE_MODES, params.get("mode")),
    state: oneOf(NODE_STATES, params.get("state")),
    label: params.get("label")?.trim() ?? "",
  };
}

/** The query string for a list view; defaults are left out so plain links stay plain. */
export function writeNodeListQuery(query: NodeListQuery): string {
  const params = new URLSearchParams();
  if (query.search) params.set("q", query.search);
  if (query.mode) params.set("mode", query.mode);
  if (query.state) params.set("state", query.state);
  if (query.label) params.set("label", query.label);
  if (query.sort !== DEFAULT_NODE_LIST_QUERY.sort) params.set("sort", query.sort);
  if (query.direction !== DEFAULT_NODE_LIST_QUERY.direction) params.set("dir", query.direction);
  if (query.page !== 1) params.set("page", String(query.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Any change other than paging starts again from the first page, where the new results begin. */
export function updateNodeListQuery(current: NodeListQuery, change: Partial<NodeListQuery>): NodeListQuery {
  return { ...current, page: change.page ?? 1, ...change };
}
