import {
  Anchor,
  Button,
  Card,
  Code,
  Group,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link } from 'wouter';
import type { Outputs } from '../api.ts';
import { PagedTable } from '../paged-table.tsx';
import { ConfirmButton, dateTime, StateBadge, useCursorPages } from '../ui.tsx';

type Request = Outputs['admin']['gdpr']['requests']['list']['items'][number];
type Kind = Request['kind'];
type Status = Request['status'];

const STATUS_COLOR: Record<Status, string> = {
  pending: 'blue.9',
  running: 'blue.9',
  scheduled: 'yellow.3',
  ready: 'teal.9',
  completed: 'teal.9',
  cancelled: 'gray.8',
  expired: 'gray.8',
  failed: 'red.9',
};
const STATUSES = Object.keys(STATUS_COLOR) as Status[];

/** Exports and erasures with their state (`admin.gdpr.requests.list`), and erasure on request. */
export default function Gdpr(): ReactNode {
  const phoenix = usePhoenix();
  const pages = useCursorPages();
  const [kind, setKind] = useState<Kind | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [userDraft, setUserDraft] = useState('');
  const [userId, setUserId] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    ...phoenix.admin.gdpr.requests.list.queryOptions({
      kind: kind ?? undefined,
      status: status ?? undefined,
      userId: userId || undefined,
      limit: 25,
      cursor: pages.cursor,
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Title order={1}>GDPR requests</Title>
      <Text size="sm">
        Data exports and account erasures, asked by the person or by an administrator, newest first.
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setUserId(userDraft.trim());
          pages.reset();
        }}
      >
        <Group align="end">
          <Select
            label="Kind"
            clearable
            data={[
              { value: 'export', label: 'export' },
              { value: 'erasure', label: 'erasure' },
            ]}
            value={kind}
            onChange={pages.filter((v: string | null) => setKind(v as Kind | null))}
          />
          <Select
            label="Status"
            clearable
            data={STATUSES}
            value={status}
            onChange={pages.filter((v: string | null) => setStatus(v as Status | null))}
          />
          <TextInput
            label="User id"
            value={userDraft}
            onChange={(e) => setUserDraft(e.currentTarget.value)}
            w={340}
          />
          <Button type="submit">Filter</Button>
        </Group>
      </form>
      <PagedTable
        label="GDPR requests"
        query={list}
        pages={pages}
        rowKey={(r) => r.id}
        rowTestId="gdpr-request-row"
        empty="No request matches."
        expanded={(r) =>
          open === r.id ? (
            <Stack gap="xs">
              <Text size="sm">Report</Text>
              {r.report === null || r.report === undefined ? (
                <Text size="sm">None yet.</Text>
              ) : (
                <Code block>{JSON.stringify(r.report, null, 2)}</Code>
              )}
            </Stack>
          ) : null
        }
        columns={[
          { header: 'Requested (UTC)', cell: (r) => dateTime(r.createdAt) },
          { header: 'Kind', cell: (r) => r.kind },
          { header: 'User', cell: (r) => <Subject request={r} /> },
          {
            header: 'Asked by',
            cell: (r) => (r.requestedBy === 'admin' ? 'an administrator' : 'the person'),
          },
          {
            header: 'Status',
            cell: (r) => <StateBadge color={STATUS_COLOR[r.status]}>{r.status}</StateBadge>,
          },
          { header: 'Scheduled for (UTC)', cell: (r) => dateTime(r.scheduledFor) },
          { header: 'Completed (UTC)', cell: (r) => dateTime(r.completedAt) },
          {
            header: 'Report',
            cell: (r) => (
              <Button
                size="xs"
                variant="default"
                aria-expanded={open === r.id}
                onClick={() => setOpen(open === r.id ? null : r.id)}
              >
                {open === r.id ? 'Hide' : 'Show'}
              </Button>
            ),
          },
        ]}
      />
      <RequestErasure />
    </Stack>
  );
}

/** The person while the account exists; after erasure only the tombstone id remains. */
function Subject({ request }: { request: Request }): ReactNode {
  if (request.userId) {
    return (
      <Anchor component={Link} href={`/users/${request.userId}`}>
        {request.email ?? request.userId}
      </Anchor>
    );
  }
  return <Text size="sm">erased{request.tombstone ? ` (${request.tombstone})` : ''}</Text>;
}

/** `admin.gdpr.erasure.request`: erasure on a person's behalf, behind a confirmation. */
function RequestErasure(): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const [userId, setUserId] = useState('');
  const [immediate, setImmediate] = useState(false);
  const erase = useMutation(
    phoenix.admin.gdpr.erasure.request.mutationOptions({
      onSuccess: () => queries.invalidateQueries(),
    }),
  );
  return (
    <Card withBorder component="section" aria-label="Erase an account">
      <Title order={2} size="h4" mb="xs">
        Erase an account
      </Title>
      <Text size="sm" mb="sm">
        For a person who asked by other means, once their identity is verified. The erasure runs
        after the grace period (the person can cancel it by signing in), or at once if you skip it.
      </Text>
      <Group align="end">
        <TextInput
          label="User id to erase"
          value={userId}
          onChange={(e) => setUserId(e.currentTarget.value)}
          w={340}
        />
        <Switch
          label="Skip the grace period"
          checked={immediate}
          onChange={(e) => setImmediate(e.currentTarget.checked)}
          mb={8}
        />
        <ConfirmButton
          label="Request erasure"
          color="red.9"
          title="Erase this account?"
          confirmLabel="Erase"
          body={
            <Text>
              User {userId.trim() || '(no id given)'} and everything the hub keeps about them is
              erased {immediate ? 'now, with no grace period' : 'after the grace period'}. The
              request is written to the audit log.
            </Text>
          }
          onConfirm={() => erase.mutateAsync({ userId: userId.trim(), immediate })}
        />
      </Group>
      {erase.data && (
        <Text size="sm" mt="sm" role="status" data-testid="erasure-requested">
          Erasure {erase.data.status}
          {erase.data.scheduledFor ? ` for ${dateTime(erase.data.scheduledFor)} UTC` : ''}.
        </Text>
      )}
    </Card>
  );
}
