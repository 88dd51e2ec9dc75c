import { describe, expect, it } from "vitest";
import { nextSort, sortRows } from "../lib/sort.ts";

const rows = [
  { name: "node-10", load: 3 },
  { name: "node-2", load: null },
  { name: "Node-1", load: 1 },
  { name: "", load: 3 },
];

describe("sortRows", () => {
  it("orders text naturally and without regard to case", () => {
    expect(sortRows(rows, (r) => r.name, "asc").map((r) => r.name)).toEqual([
      "Node-1",
      "node-2",
      "node-10",
      "",
    ]);
  });

  it("keeps empty values last in both directions and ties in their original order", () => {
    expect(sortRows(rows, (r) => r.load, "desc").map((r) => r.name)).toEqual([
      "node-10",
      "",
      "Node-1",
      "node-2",
    ]);
    expect(sortRows(rows, (r) => r.load, "asc").map((r) => r.name)).toEqual([
      "Node-1",
      "node-10",
      "",
      "node-2",
    ]);
  });

  it("does not reorder the rows it was given", () => {
    const copy = [...rows];
    sortRows(rows, (r) => r.name, "desc");
    expect(rows).toEqual(copy);
  });
});

describe("nextSort", () => {
  it("starts a new column ascending and flips the current one", () => {
    expect(nextSort(undefined, "name")).toEqual({ columnId: "name", direction: "asc" });
    expect(nextSort({ columnId: "name", direction: "asc" }, "name")).toEqual({
      columnId: "name",
      direction: "desc",
    });
    expect(nextSort({ columnId: "name", direction: "desc" }, "load")).toEqual({
      columnId: "load",
      direction: "asc",
    });
  });
});
