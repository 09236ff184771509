import {
  Button,
  Card,
  Code,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import type { Outputs } from '../api.ts';
import { PagedTable } from '../paged-table.tsx';
import { ApiError, ConfirmButton, dateTime, Loading, StateBadge, useCursorPages } from '../ui.tsx';

type Event = Outputs['admin']['billing']['events']['list']['items'][number];
type Provider = Event['provider'];
type Status = Event['status'];
type Tier = Outputs['admin']['billing']['changeSubscription']['tier'];

const PROVIDERS: Provider[] = ['fake', 'stripe', 'chargily'];
const STATUSES: Status[] = ['received', 'processed', 'ignored', 'failed'];
const STATUS_COLOR: Record<Status, string> = {
  received: 'blue.9',
  processed: 'teal.9',
  ignored: 'gray.8',
  failed: 'red.9',
};

export default function BillingEvents(): ReactNode {
  const phoenix = usePhoenix();
  const pages = useCursorPages();
  const [provider, setProvider] = useState<Provider | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [typeDraft, setTypeDraft] = useState('');
  const [type, setType] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    ...phoenix.admin.billing.events.list.queryOptions({
      provider: provider ?? undefined,
      status: status ?? undefined,
      type: type || undefined,
      limit: 25,
      cursor: pages.cursor,
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Title order={1}>Billing events</Title>
      <Text size="sm">
        Every event the payment providers sent, as received and verified; a failed or ignored one
        can be replayed.
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setType(typeDraft.trim());
          pages.reset();
        }}
      >
        <Group align="end">
          <Select
            label="Provider"
            clearable
            data={PROVIDERS}
            value={provider}
            onChange={pages.filter((v: string | null) => setProvider(v as Provider | null))}
          />
          <Select
            label="Status"
            clearable
            data={STATUSES}
            value={status}
            onChange={pages.filter((v: string | null) => setStatus(v as Status | null))}
          />
          <TextInput
            label="Event type"
            placeholder="checkout.paid"
            value={typeDraft}
            onChange={(e) => setTypeDraft(e.currentTarget.value)}
          />
          <Button type="submit">Filter</Button>
        </Group>
      </form>
      <PagedTable
        label="Billing events"
        query={list}
        pages={pages}
        rowKey={(event) => event.id}
        rowTestId="billing-event-row"
        empty="No billing event matches."
        expanded={(event) => (open === event.id ? <EventDetail id={event.id} /> : null)}
        columns={[
          { header: 'Received (UTC)', cell: (event) => dateTime(event.receivedAt) },
          { header: 'Provider', cell: (event) => event.provider },
          { header: 'Type', cell: (event) => event.type },
          {
            header: 'Status',
            cell: (event) => (
              <StateBadge color={STATUS_COLOR[event.status]}>{event.status}</StateBadge>
            ),
          },
          { header: 'Attempts', cell: (event) => event.attempts },
          { header: 'Processed (UTC)', cell: (event) => dateTime(event.processedAt) },
          {
            header: 'Details',
            cell: (event) => (
              <Button
                size="xs"
                variant="default"
                aria-expanded={open === event.id}
                onClick={() => setOpen(open === event.id ? null : event.id)}
              >
                {open === event.id ? 'Hide' : 'Open'}
              </Button>
            ),
          },
        ]}
      />
      <ChangeSubscription />
    </Stack>
  );
}

function EventDetail({ id }: { id: string }): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const detail = useQuery(phoenix.admin.billing.events.get.queryOptions({ id }));
  const replay = useMutation(
    phoenix.admin.billing.replay.mutationOptions({ onSuccess: () => queries.invalidateQueries() }),
  );
  if (detail.isPending) return <Loading />;
  if (detail.error) return <ApiError error={detail.error} />;
  const event = detail.data;
  return (
    <Stack gap="xs" data-testid="billing-event-detail">
      <Table>
        <Table.Tbody>
          <Row label="Provider's event id" value={event.eventId} />
          <Row label="Sent by the provider (UTC)" value={dateTime(event.providerCreatedAt)} />
          <Row label="Received (UTC)" value={dateTime(event.receivedAt)} />
          <Row label="Processed (UTC)" value={dateTime(event.processedAt)} />
          <Row label="Attempts" value={event.attempts} />
          <Row label="Error" value={event.error ?? '—'} />
        </Table.Tbody>
      </Table>
      <Text size="sm">Payload, as the provider sent it</Text>
      <Code block>{JSON.stringify(event.payload, null, 2)}</Code>
      <Group>
        <ConfirmButton
          label="Replay"
          title="Replay this event?"
          confirmLabel="Replay"
          body={
            <Text>
              The stored {event.type} event from {event.provider} is applied again by a job.
              Applying is idempotent: an invoice or a ledger entry already made is not made twice.
              The replay is written to the audit log.
            </Text>
          }
          onConfirm={() => replay.mutateAsync({ id: event.id })}
        />
        {replay.data && (
          <Text size="sm" role="status">
            Queued again: {replay.data.status}.
          </Text>
        )}
      </Group>
    </Stack>
  );
}

function Row(props: { label: string; value: ReactNode }): ReactNode {
  return (
    <Table.Tr>
      <Table.Th scope="row">{props.label}</Table.Th>
      <Table.Td>{props.value}</Table.Td>
    </Table.Tr>
  );
}

/** `admin.billing.changeSubscription`: a tier set by hand, with the reason kept. */
function ChangeSubscription(): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const [userId, setUserId] = useState('');
  const [tier, setTier] = useState<Tier>('PREMIUM');
  const [note, setNote] = useState('');
  const change = useMutation(
    phoenix.admin.billing.changeSubscription.mutationOptions({
      onSuccess: () => queries.invalidateQueries(),
    }),
  );
  return (
    <Card withBorder component="section" aria-label="Change a subscription">
      <Title order={2} size="h4" mb="xs">
        Change a subscription
      </Title>
      <Text size="sm" mb="sm">
        Sets a user's tier by hand, with a history row, the subscription.changed event and an audit
        row; it holds until the next provider event moves the subscription.
      </Text>
      <Group align="end">
        <TextInput
          label="User id"
          value={userId}
          onChange={(e) => setUserId(e.currentTarget.value)}
          w={340}
        />
        <Select
          label="Tier"
          data={['FREE', 'PREMIUM']}
          value={tier}
          allowDeselect={false}
          onChange={(v) => setTier((v ?? 'PREMIUM') as Tier)}
          w={140}
        />
        <TextInput
          label="Why"
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <ConfirmButton
          label="Change tier"
          title={`Set the tier to ${tier}?`}
          confirmLabel="Change"
          body={
            <Text>
              User {userId.trim() || '(no id given)'} gets the {tier} tier (
              {note.trim() || 'no reason given'}). The change is written to the audit log.
            </Text>
          }
          onConfirm={() =>
            change.mutateAsync({
              userId: userId.trim(),
              tier,
              ...(note.trim() ? { note: note.trim() } : {}),
            })
          }
        />
      </Group>
      {change.data && (
        <Text size="sm" mt="sm" role="status" data-testid="subscription-changed">
          {change.data.userId}: {change.data.previousTier} → {change.data.tier}
        </Text>
      )}
    </Card>
  );
}
