"use client";

import { ChevronDown, ChevronLeft, ChevronRight, ChevronsUpDown, ChevronUp } from "lucide-react";
import { type ReactNode, useMemo, useState } from "react";
import { nextSort, type SortState, type SortValue, sortRows } from "@/lib/sort";
import { Button } from "./button";
import styles from "./table.module.css";

export interface Column<T> {
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** Makes the column sortable; in server mode only its presence matters. */
  sortValue?: (row: T) => SortValue;
  align?: "start" | "end";
  /** Keeps the header for screen readers but hides it visually (e.g. an actions column). */
  hideHeader?: boolean;
}

export interface TableProps<T> {
  /** Names the table for assistive technology; not shown. */
  label: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /**
   * Client mode: leave `onSortChange` out and the table sorts `rows` itself, starting from
   * `defaultSort`. Server mode: pass `sort` and `onSortChange`; `rows` arrive already sorted.
   */
  sort?: SortState;
  defaultSort?: SortState;
  onSortChange?: (sort: SortState) => void;
  /** Client-side paging; for server paging put the controls in `footer`. */
  pageSize?: number;
  empty?: ReactNode;
  footer?: ReactNode;
}

export function Table<T>({
  label,
  columns,
  rows,
  rowKey,
  sort: controlledSort,
  defaultSort,
  onSortChange,
  pageSize,
  empty,
  footer,
}: TableProps<T>) {
  const [localSort, setLocalSort] = useState<SortState | undefined>(defaultSort);
  const [page, setPage] = useState(0);
  const serverSorted = onSortChange !== undefined;
  const sort = serverSorted ? controlledSort : localSort;

  const sortedRows = useMemo(() => {
    if (serverSorted || !sort) return rows;
    const sortValue = columns.find((c) => c.id === sort.columnId)?.sortValue;
    return sortValue ? sortRows(rows, sortValue, sort.direction) : rows;
  }, [rows, columns, sort, serverSorted]);

  const pageCount = pageSize ? Math.max(1, Math.ceil(sortedRows.length / pageSize)) : 1;
  const currentPage = Math.min(page, pageCount - 1);
  const visibleRows = pageSize
    ? sortedRows.slice(currentPage * pageSize, (currentPage + 1) * pageSize)
    : sortedRows;

  const changeSort = (columnId: string) => {
    const next = nextSort(sort, columnId);
    if (serverSorted) onSortChange(next);
    else setLocalSort(next);
    setPage(0);
  };

  return (
    <div className={styles.wrapper}>
      <div className={styles.scroller}>
        <table className={styles.table} aria-label={label}>
          <thead>
            <tr>
              {columns.map((column) => {
                const direction = sort?.columnId === column.id ? sort.direction : undefined;
                const alignClass = column.align === "end" ? styles.end : undefined;
                return (
                  <th
                    key={column.id}
                    scope="col"
                    className={alignClass}
                    aria-sort={
                      direction === "asc" ? "ascending" : direction === "desc" ? "descending" : undefined
                    }
                  >
                    {column.hideHeader ? (
                      <span className="visually-hidden">{column.header}</span>
                    ) : column.sortValue ? (
                      <button
                        type="button"
                        className={styles.sortButton}
                        onClick={() => changeSort(column.id)}
                      >
                        {column.header}
                        <SortIcon direction={direction} />
                      </button>
                    ) : (
                      column.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {visibleRows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className={styles.empty}>
                  {empty ?? "Nothing to show."}
                </td>
              </tr>
            ) : (
              visibleRows.map((row) => (
                <tr key={rowKey(row)}>
                  {columns.map((column) => (
                    <td key={column.id} className={column.align === "end" ? styles.end : undefined}>
                      {column.cell(row)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {pageSize && sortedRows.length > pageSize ? (
        <nav className={styles.pagination} aria-label={`${label} pages`}>
          <span className={styles.range}>
            {currentPage * pageSize + 1}–{Math.min((currentPage + 1) * pageSize, sortedRows.length)} of{" "}
            {sortedRows.length}
          </span>
          <Button
            size="sm"
            variant="ghost"
            icon={<ChevronLeft size={15} aria-hidden />}
            disabled={currentPage === 0}
            onClick={() => setPage(currentPage - 1)}
          >
            Previous
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={currentPage >= pageCount - 1}
            onClick={() => setPage(currentPage + 1)}
          >
            Next
            <ChevronRight size={15} aria-hidden />
          </Button>
        </nav>
      ) : null}
      {footer ? <div className={styles.footer}>{footer}</div> : null}
    </div>
  );
}

function SortIcon({ direction }: { direction: "asc" | "desc" | undefined }) {
  if (direction === "asc") return <ChevronUp size={14} aria-hidden />;
  if (direction === "desc") return <ChevronDown size={14} aria-hidden />;
  return <ChevronsUpDown size={14} aria-hidden className={styles.idleSort} />;
}
