import { describe, expect, it } from "vitest";
import {
  DEFAULT_NODE_LIST_QUERY,
  readNodeListQuery,
  updateNodeListQuery,
  writeNodeListQuery,
} from "../lib/node-list-query.ts";

describe("node list query string", () => {
  it("reads an empty query as the defaults and writes the defaults as nothing", () => {
    expect(readNodeListQuery(new URLSearchParams())).toEqual(DEFAULT_NODE_LIST_QUERY);
    expect(writeNodeListQuery(DEFAULT_NODE_LIST_QUERY)).toBe("");
  });

  it("round-trips every setting", () => {
    const query = {
      page: 3,
      sort: "lastSeenAt",
      direction: "desc",
      search: "edge 1",
      mode: "gateway",
      state: "offline",
      label: "rack=r12",
    } as const;
    const text = writeNodeListQuery(query);
    expect(text).toBe(
      "?q=edge+1&mode=gateway&state=offline&label=rack%3Dr12&sort=lastSeenAt&dir=desc&page=3",
    );
    expect(readNodeListQuery(new URLSearchParams(text))).toEqual(query);
  });

  it("falls back to defaults for values a hand-edited link gets wrong", () => {
    const query = readNodeListQuery(
      new URLSearchParams("page=-2&sort=password&dir=sideways&mode=router&state=dead&q=%20%20"),
    );
    expect(query).toEqual(DEFAULT_NODE_LIST_QUERY);
    expect(readNodeListQuery(new URLSearchParams("page=1.5")).page).toBe(1);
  });

  it("goes back to the first page when anything but the page changes", () => {
    const onPageFour = { ...DEFAULT_NODE_LIST_QUERY, page: 4 };
    expect(updateNodeListQuery(onPageFour, { state: "online" })).toMatchObject({ page: 1, state: "online" });
    expect(updateNodeListQuery(onPageFour, { page: 5 }).page).toBe(5);
  });
});
