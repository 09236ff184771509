import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ApiError, dateTime, Loading, Pager, useCursorPages } from '../ui.tsx';

type Status = 'active' | 'unread' | 'dismissed' | 'all';
const SEVERITY = { info: 'blue.9', warning: 'yellow.3', critical: 'red.9' } as const;

export default function Alerts(): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const pages = useCursorPages();
  const [status, setStatus] = useState<Status>('active');
  const list = useQuery({
    ...phoenix.admin.alerts.list.queryOptions({ status, limit: 25, cursor: pages.cursor }),
    placeholderData: keepPreviousData,
  });
  const refresh = { onSuccess: () => queries.invalidateQueries() };
  const markRead = useMutation(phoenix.admin.alerts.markRead.mutationOptions(refresh));
  const dismiss = useMutation(phoenix.admin.alerts.dismiss.mutationOptions(refresh));
  const readAll = useMutation(phoenix.admin.alerts.markAllRead.mutationOptions(refresh));
  return (
    <Stack>
      <Title order={1}>Alerts</Title>
      <Group justify="space-between">
        <SegmentedControl
          aria-label="Which alerts"
          value={status}
          onChange={pages.filter((v: string) => setStatus(v as Status))}
          data={[
            { value: 'active', label: 'Active' },
            { value: 'unread', label: 'Unread' },
            { value: 'dismissed', label: 'Dismissed' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Group>
          <Text size="sm">{list.data?.unreadCount ?? 0} unread</Text>
          <Button variant="default" onClick={() => readAll.mutate()} loading={readAll.isPending}>
            Mark all read
          </Button>
        </Group>
      </Group>
      <ApiError error={list.error ?? markRead.error ?? dismiss.error ?? readAll.error} />
      {list.isPending && <Loading />}
      {list.data?.items.length === 0 && <Text>No alert here.</Text>}
      {list.data?.items.map((alert) => (
        <Card key={alert.id} withBorder component="article" aria-label={alert.title}>
          <Group justify="space-between">
            <Group gap="xs">
              <Badge autoContrast color={SEVERITY[alert.severity]} variant="filled">
                {alert.severity}
              </Badge>
              <Text fw={alert.readAt ? 400 : 700}>{alert.title}</Text>
            </Group>
            <Text size="xs">{dateTime(alert.createdAt)}</Text>
          </Group>
          <Text size="sm" my="xs" style={{ whiteSpace: 'pre-wrap' }}>
            {alert.body}
          </Text>
          <Group gap="xs">
            {!alert.readAt && (
              <Button
                size="xs"
                variant="default"
                onClick={() => markRead.mutate({ alertId: alert.id })}
              >
                Mark read
              </Button>
            )}
            {!alert.dismissedAt && (
              <Button
                size="xs"
                variant="default"
                onClick={() => dismiss.mutate({ alertId: alert.id })}
              >
                Dismiss
              </Button>
            )}
          </Group>
        </Card>
      ))}
      <Pager
        label="Alerts"
        page={pages.page}
        nextCursor={list.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
      />
    </Stack>
  );
}
