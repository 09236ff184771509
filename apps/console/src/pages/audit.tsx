import { Anchor, Button, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import type { Outputs } from '../api.ts';
import { PagedTable } from '../paged-table.tsx';
import { dateTime, useCursorPages } from '../ui.tsx';

type Entry = Outputs['admin']['audit']['list']['items'][number];

interface Filters {
  action: string;
  resourceType: string;
  resourceId: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { action: '', resourceType: '', resourceId: '', from: '', to: '' };

/** The filters the API takes: blanks left out, days as UTC midnights. */
function toQuery(filters: Filters): {
  action?: string;
  resourceType?: string;
  resourceId?: string;
  from?: Date;
  to?: Date;
} {
  const text = (value: string) => value.trim() || undefined;
  const day = (value: string, plusDays = 0) =>
    value ? new Date(Date.parse(`${value}T00:00:00Z`) + plusDays * 86_400_000) : undefined;
  return {
    action: text(filters.action),
    resourceType: text(filters.resourceType),
    resourceId: text(filters.resourceId),
    from: day(filters.from),
    to: day(filters.to, 1),
  };
}

function exportHref(format: 'csv' | 'ndjson', filters: Filters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(toQuery(filters))) {
    if (value !== undefined) params.set(key, value instanceof Date ? value.toISOString() : value);
  }
  const query = params.toString();
  return `/admin/audit/export.${format}${query ? `?${query}` : ''}`;
}

export default function Audit(): ReactNode {
  const phoenix = usePhoenix();
  const pages = useCursorPages();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [open, setOpen] = useState<number | null>(null);
  const list = useQuery({
    ...phoenix.admin.audit.list.queryOptions({
      ...toQuery(filters),
      limit: 25,
      cursor: pages.cursor,
    }),
    placeholderData: keepPreviousData,
  });
  const field = (key: keyof Filters, label: string, type = 'text') => (
    <TextInput
      label={label}
      type={type}
      value={draft[key]}
      onChange={(e) => {
        const value = e.currentTarget.value;
        setDraft((d) => ({ ...d, [key]: value }));
      }}
    />
  );
  return (
    <Stack>
      <Title order={1}>Audit log</Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
          pages.reset();
        }}
      >
        <Group align="end">
          {field('action', 'Action')}
          {field('resourceType', 'Resource type')}
          {field('resourceId', 'Resource id')}
          {field('from', 'From (UTC day)', 'date')}
          {field('to', 'To (UTC day)', 'date')}
          <Button type="submit">Filter</Button>
        </Group>
      </form>
      <Group>
        <Text size="sm">Export these rows:</Text>
        <Anchor href={exportHref('csv', filters)} download data-testid="export-csv">
          CSV
        </Anchor>
        <Anchor href={exportHref('ndjson', filters)} download data-testid="export-ndjson">
          NDJSON
        </Anchor>
      </Group>
      <PagedTable
        label="Audit log"
        query={list}
        pages={pages}
        rowKey={(entry) => entry.id}
        rowTestId="audit-row"
        empty="No audit row matches."
        expanded={(entry) => (open === entry.id ? <Diff entry={entry} /> : null)}
        columns={[
          { header: 'When (UTC)', cell: (entry) => dateTime(entry.createdAt) },
          { header: 'Administrator', cell: (entry) => entry.adminEmail ?? '—' },
          { header: 'Action', cell: (entry) => entry.action },
          {
            header: 'Resource',
            cell: (entry) => `${entry.resourceType} ${entry.resourceId ?? ''}`,
          },
          { header: 'IP', cell: (entry) => entry.ip ?? '—' },
          {
            header: 'Change',
            cell: (entry) => (
              <Button
                size="xs"
                variant="default"
                aria-expanded={open === entry.id}
                onClick={() => setOpen(open === entry.id ? null : entry.id)}
              >
                {open === entry.id ? 'Hide' : 'Show'} change
              </Button>
            ),
          },
        ]}
      />
    </Stack>
  );
}

/** `{ a: { b: 1 } }` -> `{ 'a.b': '1' }`, so a change reads key by key. */
function flatten(value: unknown, prefix = ''): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { [prefix || 'value']: JSON.stringify(value) };
  }
  return Object.assign(
    {},
    ...Object.entries(value).map(([key, inner]) =>
      inner !== null && typeof inner === 'object' && !Array.isArray(inner)
        ? flatten(inner, `${prefix}${key}.`)
        : { [`${prefix}${key}`]: JSON.stringify(inner) },
    ),
  );
}

function Diff({ entry }: { entry: Entry }): ReactNode {
  const before = flatten(entry.oldValue);
  const after = flatten(entry.newValue);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return (
    <Stack gap="xs">
      <Table withTableBorder data-testid="audit-diff">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            <Table.Th>Old value</Table.Th>
            <Table.Th>New value</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => {
            const changed = before[key] !== after[key];
            return (
              <Table.Tr key={key} fw={changed ? 700 : undefined}>
                <Table.Td>
                  {key}
                  {changed ? ' (changed)' : ''}
                </Table.Td>
                <Table.Td>
                  <Code>{before[key] ?? '—'}</Code>
                </Table.Td>
                <Table.Td>
                  <Code>{after[key] ?? '—'}</Code>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Text size="xs">
        Request {entry.requestId ?? '—'} · {entry.userAgent ?? 'no user agent'}
      </Text>
    </Stack>
  );
}
