import { Table, Text } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import { ApiError, type CursorPages, Loading, Pager } from './ui.tsx';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

/** What a list query answers, as TanStack Query holds it. */
export interface PagedQuery<T, C> {
  data?: { items: readonly T[]; nextCursor: C | null } | undefined;
  error: unknown;
  isPending: boolean;
}

/**
 * One server-paginated list: the query's refusal in the API's words, a table of its rows
 * (each optionally followed by an expanded row the page opens), an empty text, and the
 * Previous/Next pager over the cursors already seen.
 */
export function PagedTable<T, C = string>(props: {
  /** Names the table and its pager for assistive technology. */
  label: string;
  query: PagedQuery<T, C>;
  pages: CursorPages<C>;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string | number;
  /** Shown under the table when the page has no row. */
  empty?: ReactNode;
  /** The row's details, or null while closed: a full-width row under it. */
  expanded?: (row: T) => ReactNode;
  /** `data-testid` of every row, for tests that look rows up. */
  rowTestId?: string;
  highlightOnHover?: boolean;
}): ReactNode {
  const { query, columns } = props;
  return (
    <>
      <ApiError error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : (
        <Table striped highlightOnHover={props.highlightOnHover} aria-label={props.label}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column.header}>{column.header}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {query.data?.items.map((row) => {
              const details = props.expanded?.(row);
              return (
                <Fragment key={props.rowKey(row)}>
                  <Table.Tr data-testid={props.rowTestId}>
                    {columns.map((column) => (
                      <Table.Td key={column.header}>{column.cell(row)}</Table.Td>
                    ))}
                  </Table.Tr>
                  {details !== null && details !== undefined && details !== false && (
                    <Table.Tr>
                      <Table.Td colSpan={columns.length}>{details}</Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {query.data?.items.length === 0 &&
        props.empty !== undefined &&
        (typeof props.empty === 'string' ? <Text>{props.empty}</Text> : props.empty)}
      <Pager
        label={props.label}
        page={props.pages.page}
        nextCursor={query.data?.nextCursor}
        onNext={props.pages.next}
        onPrevious={props.pages.previous}
      />
    </>
  );
}
