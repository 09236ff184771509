import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link } from 'wouter';
import type { Outputs } from '../api.ts';
import { PagedTable } from '../paged-table.tsx';
import { ApiError, ConfirmButton, dateTime, Loading, useCursorPages } from '../ui.tsx';

type Detail = Outputs['admin']['users']['get'];
type Note = Outputs['admin']['notes']['list'][number];

function Section(props: { title: string; children: ReactNode }): ReactNode {
  return (
    <Card withBorder component="section" aria-label={props.title}>
      <Title order={2} size="h4" mb="sm">
        {props.title}
      </Title>
      {props.children}
    </Card>
  );
}

/** Refetches everything about the user after a change. */
function useRefresh(): () => Promise<void> {
  const queries = useQueryClient();
  return () => queries.invalidateQueries();
}

export default function UserPage({ userId }: { userId: string }): ReactNode {
  const phoenix = usePhoenix();
  const user = useQuery(phoenix.admin.users.get.queryOptions({ userId }));
  return (
    <Stack>
      <Anchor component={Link} href="/users">
        ← Users
      </Anchor>
      <ApiError error={user.error} />
      {user.isPending && <Loading />}
      {user.data && (
        <>
          <Title order={1}>{user.data.displayName}</Title>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Profile user={user.data} />
            <Credits userId={userId} />
            <Notes userId={userId} />
            <Sessions userId={userId} />
          </SimpleGrid>
          <Activity user={user.data} />
        </>
      )}
    </Stack>
  );
}

function Profile({ user }: { user: Detail }): ReactNode {
  const phoenix = usePhoenix();
  const refresh = useRefresh();
  const update = useMutation(phoenix.admin.users.update.mutationOptions({ onSuccess: refresh }));
  const otherRole = user.role === 'admin' ? 'user' : 'admin';
  const otherTier = user.tier === 'FREE' ? 'PREMIUM' : 'FREE';
  return (
    <Section title="Profile">
      <Table>
        <Table.Tbody>
          <Row label="Email" value={user.email} />
          <Row label="Role" value={user.role} testId="user-role" />
          <Row label="Tier" value={user.tier} testId="user-tier" />
          <Row label="Status" value={user.active ? 'active' : 'deactivated'} testId="user-status" />
          <Row label="Time zone" value={`${user.timeZone} (${user.locale})`} />
          <Row label="Signed up (UTC)" value={dateTime(user.createdAt)} />
          <Row
            label="Last login (UTC)"
            value={`${dateTime(user.lastLoginAt)} (${user.loginCount} logins)`}
          />
          <Row
            label="Active sessions / API keys"
            value={`${user.activeSessions} / ${user.activeApiKeys}`}
          />
        </Table.Tbody>
      </Table>
      <Group mt="md">
        <ConfirmButton
          label={user.active ? 'Deactivate' : 'Reactivate'}
          color={user.active ? 'red.9' : undefined}
          title={user.active ? `Deactivate ${user.email}?` : `Reactivate ${user.email}?`}
          body={
            <Text>
              {user.active
                ? 'Their sessions and API keys are revoked and they can no longer sign in.'
                : 'They can sign in again.'}
            </Text>
          }
          onConfirm={() => update.mutateAsync({ userId: user.id, active: !user.active })}
        />
        <ConfirmButton
          label={`Make ${otherRole}`}
          title={`Change ${user.email}'s role to ${otherRole}?`}
          body={<Text>The change is written to the audit log.</Text>}
          onConfirm={() => update.mutateAsync({ userId: user.id, role: otherRole })}
        />
        <ConfirmButton
          label={`Set tier ${otherTier}`}
          title={`Change ${user.email}'s tier to ${otherTier}?`}
          body={<Text>The change is written to the audit log.</Text>}
          onConfirm={() => update.mutateAsync({ userId: user.id, tier: otherTier })}
        />
      </Group>
    </Section>
  );
}

function Row(props: { label: string; value: ReactNode; testId?: string }): ReactNode {
  return (
    <Table.Tr>
      <Table.Th scope="row">{props.label}</Table.Th>
      <Table.Td data-testid={props.testId}>{props.value}</Table.Td>
    </Table.Tr>
  );
}

function Credits({ userId }: { userId: string }): ReactNode {
  const phoenix = usePhoenix();
  const refresh = useRefresh();
  const pages = useCursorPages<number>();
  const ledger = useQuery({
    ...phoenix.gateway.admin.ledger.queryOptions({ userId, limit: 10, beforeId: pages.cursor }),
    placeholderData: keepPreviousData,
  });
  const [amount, setAmount] = useState<number | string>(100);
  const [note, setNote] = useState('');
  const grant = useMutation(phoenix.gateway.admin.grantCredits.mutationOptions());
  return (
    <Section title="Credits">
      <ApiError error={ledger.error} />
      <Text>
        Balance: <strong data-testid="credit-balance">{ledger.data?.balance ?? '…'}</strong>
      </Text>
      <Group align="end" my="sm">
        <NumberInput label="Amount" min={1} value={amount} onChange={setAmount} w={120} />
        <TextInput
          label="Reason"
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <ConfirmButton
          label="Grant credits"
          title="Grant credits?"
          confirmLabel="Grant"
          body={
            <Text>
              Grant {String(amount)} credits ({note || 'no reason given'}). The grant is written to
              the ledger and the audit log.
            </Text>
          }
          onConfirm={async () => {
            await grant.mutateAsync({ userId, amount: Number(amount), note });
            pages.reset();
            await refresh();
          }}
        />
      </Group>
      <PagedTable
        label="Ledger"
        // The ledger pages by the last entry's id (`beforeId`), not by an opaque cursor.
        query={{
          data: ledger.data && { items: ledger.data.items, nextCursor: ledger.data.nextBeforeId },
          error: null,
          isPending: ledger.isPending,
        }}
        pages={pages}
        rowKey={(t) => t.id}
        empty="No ledger entry."
        columns={[
          { header: 'When (UTC)', cell: (t) => dateTime(t.createdAt) },
          { header: 'Kind', cell: (t) => t.kind },
          { header: 'Amount', cell: (t) => t.amount },
          { header: 'Balance after', cell: (t) => t.balanceAfter },
          { header: 'Note', cell: (t) => t.note ?? '' },
        ]}
      />
    </Section>
  );
}

function Notes({ userId }: { userId: string }): ReactNode {
  const phoenix = usePhoenix();
  const notes = useQuery(phoenix.admin.notes.list.queryOptions({ userId }));
  const refresh = useRefresh();
  const create = useMutation(phoenix.admin.notes.create.mutationOptions({ onSuccess: refresh }));
  const [body, setBody] = useState('');
  const [pinned, setPinned] = useState(false);
  return (
    <Section title="Notes">
      <ApiError error={notes.error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ userId, body, pinned }, { onSuccess: () => setBody('') });
        }}
      >
        <Stack gap="xs">
          <Textarea
            label="New note"
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <Group justify="space-between">
            <Switch
              label="Pinned"
              checked={pinned}
              onChange={(e) => setPinned(e.currentTarget.checked)}
            />
            <Button type="submit" loading={create.isPending}>
              Add note
            </Button>
          </Group>
          <ApiError error={create.error} />
        </Stack>
      </form>
      <Stack mt="md" gap="sm">
        {notes.data?.map((note) => (
          <NoteItem key={note.id} note={note} />
        ))}
      </Stack>
    </Section>
  );
}

function NoteItem({ note }: { note: Note }): ReactNode {
  const phoenix = usePhoenix();
  const refresh = useRefresh();
  const update = useMutation(phoenix.admin.notes.update.mutationOptions({ onSuccess: refresh }));
  const pin = useMutation(phoenix.admin.notes.pin.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(phoenix.admin.notes.delete.mutationOptions({ onSuccess: refresh }));
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(note.body);
  return (
    <Card withBorder padding="sm">
      {editing ? (
        <Textarea label="Edit note" value={body} onChange={(e) => setBody(e.currentTarget.value)} />
      ) : (
        <Text style={{ whiteSpace: 'pre-wrap' }}>{note.body}</Text>
      )}
      <Group justify="space-between" mt="xs">
        <Text size="xs">
          {note.pinned && (
            <Badge autoContrast size="xs" mr="xs" color="blue.9" variant="filled">
              pinned
            </Badge>
          )}
          {note.authorEmail ?? 'unknown'} · {dateTime(note.updatedAt)}
        </Text>
        <Group gap="xs">
          {editing ? (
            <Button
              size="xs"
              onClick={() =>
                update.mutate({ noteId: note.id, body }, { onSuccess: () => setEditing(false) })
              }
            >
              Save
            </Button>
          ) : (
            <Button size="xs" variant="default" onClick={() => setEditing(true)}>
              Edit
            </Button>
          )}
          <Button
            size="xs"
            variant="default"
            onClick={() => pin.mutate({ noteId: note.id, pinned: !note.pinned })}
          >
            {note.pinned ? 'Unpin' : 'Pin'}
          </Button>
          <ConfirmButton
            label="Delete"
            color="red.9"
            title="Delete this note?"
            body={<Text>The deletion is written to the audit log.</Text>}
            onConfirm={() => remove.mutateAsync({ noteId: note.id })}
          />
        </Group>
      </Group>
      <ApiError error={update.error ?? pin.error} />
    </Card>
  );
}

function Sessions({ userId }: { userId: string }): ReactNode {
  const phoenix = usePhoenix();
  const sessions = useQuery(phoenix.admin.users.sessions.queryOptions({ userId }));
  return (
    <Section title="Sessions">
      <ApiError error={sessions.error} />
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Last used (UTC)</Table.Th>
            <Table.Th>Signed in (UTC)</Table.Th>
            <Table.Th>IP</Table.Th>
            <Table.Th>Browser</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.data?.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{dateTime(s.lastUsedAt)}</Table.Td>
              <Table.Td>{dateTime(s.createdAt)}</Table.Td>
              <Table.Td>{s.ip ?? '—'}</Table.Td>
              <Table.Td>{s.userAgent?.slice(0, 60) ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {sessions.data?.length === 0 && <Text size="sm">No live session.</Text>}
    </Section>
  );
}

function Activity({ user }: { user: Detail }): ReactNode {
  const phoenix = usePhoenix();
  const pages = useCursorPages();
  const activity = useQuery({
    ...phoenix.admin.users.activity.queryOptions({
      userId: user.id,
      limit: 20,
      cursor: pages.cursor,
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <Section title="Activity">
      <Text size="sm" mb="sm">
        {user.activity.totalEvents} events, {user.activity.eventsLast30Days} in the last 30 days
        {user.activity.topActionsLast30Days.length > 0 &&
          ` (mostly ${user.activity.topActionsLast30Days
            .slice(0, 3)
            .map((a) => `${a.action} ×${a.count}`)
            .join(', ')})`}
      </Text>
      <PagedTable
        label="Activity"
        query={activity}
        pages={pages}
        rowKey={(a) => a.id}
        empty="No activity yet."
        columns={[
          { header: 'When (UTC)', cell: (a) => dateTime(a.createdAt) },
          { header: 'Action', cell: (a) => a.action },
          { header: 'Resource', cell: (a) => a.resourceId ?? '' },
        ]}
      />
    </Section>
  );
}
