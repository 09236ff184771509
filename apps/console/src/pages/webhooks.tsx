import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ApiError, dateTime, Loading, Pager, useCursorPages } from '../ui.tsx';

export default function Webhooks(): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const pages = useCursorPages();
  const [endpointId, setEndpointId] = useState<string | null>(null);
  const stats = useQuery(phoenix.admin.stats.webhooks.queryOptions({ periodDays: 7 }));
  const list = useQuery({
    ...phoenix.admin.webhooks.list.queryOptions({ limit: 25, cursor: pages.cursor }),
    placeholderData: keepPreviousData,
  });
  const refresh = { onSuccess: () => queries.invalidateQueries() };
  const update = useMutation(phoenix.admin.webhooks.update.mutationOptions(refresh));
  const test = useMutation(phoenix.admin.webhooks.test.mutationOptions(refresh));
  return (
    <Stack>
      <Title order={1}>Webhooks</Title>
      {stats.data && (
        <Text size="sm">
          {stats.data.endpoints.total} endpoints ({stats.data.endpoints.failing} failing) · last 7
          days: {stats.data.deliveries.succeeded} delivered, {stats.data.deliveries.failed} failed,{' '}
          {stats.data.deliveries.pending} pending
        </Text>
      )}
      <ApiError error={list.error ?? stats.error ?? update.error ?? test.error} />
      {list.isPending ? (
        <Loading />
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>URL</Table.Th>
              <Table.Th>Events</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>
                  {e.url}
                  {e.description && <Text size="xs">{e.description}</Text>}
                </Table.Td>
                <Table.Td>{e.eventTypes.join(', ')}</Table.Td>
                <Table.Td>
                  <Badge autoContrast color={e.enabled ? 'teal.9' : 'gray.8'} variant="filled">
                    {e.enabled ? (e.failingSince ? 'failing' : 'enabled') : 'disabled'}
                  </Badge>
                  {e.disabledReason && <Text size="xs">{e.disabledReason}</Text>}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button size="xs" variant="default" onClick={() => setEndpointId(e.id)}>
                      Deliveries
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => update.mutate({ id: e.id, enabled: !e.enabled })}
                    >
                      {e.enabled ? 'Disable' : 'Enable'}
                    </Button>
                    <Button size="xs" variant="default" onClick={() => test.mutate({ id: e.id })}>
                      Send test
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data?.items.length === 0 && (
        <Text>No endpoint yet (create them with admin.webhooks.create).</Text>
      )}
      <Pager
        label="Endpoints"
        page={pages.page}
        nextCursor={list.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
      />
      {endpointId && <Deliveries endpointId={endpointId} />}
    </Stack>
  );
}

function Deliveries({ endpointId }: { endpointId: string }): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const pages = useCursorPages();
  const logs = useQuery({
    ...phoenix.admin.webhookLogs.list.queryOptions({ endpointId, limit: 25, cursor: pages.cursor }),
    placeholderData: keepPreviousData,
  });
  const retry = useMutation(
    phoenix.admin.webhookLogs.retry.mutationOptions({
      onSuccess: () => queries.invalidateQueries(),
    }),
  );
  return (
    <Stack component="section" aria-label="Deliveries">
      <Title order={2} size="h4">
        Delivery attempts
      </Title>
      <ApiError error={logs.error ?? retry.error} />
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When (UTC)</Table.Th>
            <Table.Th>Event</Table.Th>
            <Table.Th>Attempt</Table.Th>
            <Table.Th>Result</Table.Th>
            <Table.Th>Latency</Table.Th>
            <Table.Th>Action</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {logs.data?.items.map((log) => (
            <Table.Tr key={log.id}>
              <Table.Td>{dateTime(log.createdAt)}</Table.Td>
              <Table.Td>{log.eventType}</Table.Td>
              <Table.Td>{log.attempt}</Table.Td>
              <Table.Td>
                {log.succeeded ? 'ok' : 'failed'} {log.statusCode ?? ''} {log.error ?? ''}
              </Table.Td>
              <Table.Td>{log.latencyMs} ms</Table.Td>
              <Table.Td>
                {!log.succeeded && (
                  <Button size="xs" variant="default" onClick={() => retry.mutate({ id: log.id })}>
                    Retry
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Pager
        label="Deliveries"
        page={pages.page}
        nextCursor={logs.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
      />
    </Stack>
  );
}
