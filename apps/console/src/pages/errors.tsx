import {
  Badge,
  Button,
  Group,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import type { Outputs } from '../api.ts';
import { PagedTable } from '../paged-table.tsx';
import { ApiError, dateTime, useCursorPages } from '../ui.tsx';

type Group_ = Outputs['admin']['errors']['list']['items'][number];
type Status = 'open' | 'resolved' | 'all';

export default function Errors(): ReactNode {
  const phoenix = usePhoenix();
  const pages = useCursorPages();
  const [status, setStatus] = useState<Status>('open');
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    ...phoenix.admin.errors.list.queryOptions({ status, limit: 25, cursor: pages.cursor }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Title order={1}>Errors</Title>
      <SegmentedControl
        aria-label="Which errors"
        value={status}
        onChange={pages.filter((v: string) => setStatus(v as Status))}
        data={[
          { value: 'open', label: 'Open' },
          { value: 'resolved', label: 'Resolved' },
          { value: 'all', label: 'All' },
        ]}
        w={320}
      />
      <PagedTable
        label="Errors"
        query={list}
        pages={pages}
        rowKey={(group) => group.id}
        rowTestId="error-row"
        empty={`No ${status === 'all' ? '' : `${status} `}error.`}
        expanded={(group) => (open === group.id ? <ErrorDetail group={group} /> : null)}
        columns={[
          {
            header: 'Error',
            cell: (group) => (
              <>
                <Text fw={600} size="sm">
                  {group.name}
                </Text>
                <Text size="sm">{group.message}</Text>
              </>
            ),
          },
          { header: 'Path', cell: (group) => group.path ?? '—' },
          { header: 'Count', cell: (group) => group.count },
          { header: 'Last seen (UTC)', cell: (group) => dateTime(group.lastSeenAt) },
          {
            header: 'Status',
            cell: (group) => (
              <Badge autoContrast color={group.resolvedAt ? 'teal.9' : 'red.9'} variant="filled">
                {group.resolvedAt ? 'resolved' : 'open'}
              </Badge>
            ),
          },
          {
            header: 'Details',
            cell: (group) => (
              <Button
                size="xs"
                variant="default"
                aria-expanded={open === group.id}
                onClick={() => setOpen(open === group.id ? null : group.id)}
              >
                {open === group.id ? 'Hide' : 'Open'}
              </Button>
            ),
          },
        ]}
      />
    </Stack>
  );
}

function ErrorDetail({ group }: { group: Group_ }): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const detail = useQuery(phoenix.admin.errors.get.queryOptions({ errorId: group.id }));
  const [note, setNote] = useState('');
  const resolve = useMutation(
    phoenix.admin.errors.resolve.mutationOptions({ onSuccess: () => queries.invalidateQueries() }),
  );
  return (
    <Stack gap="xs">
      <ApiError error={detail.error} />
      <Text size="sm">
        First seen {dateTime(group.firstSeenAt)} · fingerprint {group.fingerprint}
      </Text>
      {detail.data && (
        <Text size="sm">
          Recent requests:{' '}
          {detail.data.recentOccurrences
            .slice(0, 5)
            .map((o) => `${o.requestId ?? '—'} (${dateTime(o.createdAt)})`)
            .join(', ')}
        </Text>
      )}
      {group.resolvedAt ? (
        <Text size="sm">
          Resolved {dateTime(group.resolvedAt)}: {group.resolutionNote}
        </Text>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            resolve.mutate({ errorId: group.id, note });
          }}
        >
          <Group align="end">
            <Textarea
              label="Resolution note"
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button type="submit" loading={resolve.isPending}>
              Resolve
            </Button>
          </Group>
          <ApiError error={resolve.error} />
        </form>
      )}
    </Stack>
  );
}
