import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { PagedTable } from '../paged-table.tsx';
import { ApiError, dateTime, useCursorPages } from '../ui.tsx';

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
      <ApiError error={stats.error ?? update.error ?? test.error} />
      <PagedTable
        label="Endpoints"
        query={list}
        pages={pages}
        rowKey={(e) => e.id}
        empty="No endpoint yet (create them with admin.webhooks.create)."
        columns={[
          {
            header: 'URL',
            cell: (e) => (
              <>
                {e.url}
                {e.description && <Text size="xs">{e.description}</Text>}
              </>
            ),
          },
          { header: 'Events', cell: (e) => e.eventTypes.join(', ') },
          {
            header: 'Status',
            cell: (e) => (
              <>
                <Badge autoContrast color={e.enabled ? 'teal.9' : 'gray.8'} variant="filled">
                  {e.enabled ? (e.failingSince ? 'failing' : 'enabled') : 'disabled'}
                </Badge>
                {e.disabledReason && <Text size="xs">{e.disabledReason}</Text>}
              </>
            ),
          },
          {
            header: 'Actions',
            cell: (e) => (
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
            ),
          },
        ]}
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
      <ApiError error={retry.error} />
      <PagedTable
        label="Deliveries"
        query={logs}
        pages={pages}
        rowKey={(log) => log.id}
        empty="No delivery attempt yet."
        columns={[
          { header: 'When (UTC)', cell: (log) => dateTime(log.createdAt) },
          { header: 'Event', cell: (log) => log.eventType },
          { header: 'Attempt', cell: (log) => log.attempt },
          {
            header: 'Result',
            cell: (log) =>
              `${log.succeeded ? 'ok' : 'failed'} ${log.statusCode ?? ''} ${log.error ?? ''}`,
          },
          { header: 'Latency', cell: (log) => `${log.latencyMs} ms` },
          {
            header: 'Action',
            cell: (log) =>
              !log.succeeded && (
                <Button size="xs" variant="default" onClick={() => retry.mutate({ id: log.id })}>
                  Retry
                </Button>
              ),
          },
        ]}
      />
    </Stack>
  );
}
