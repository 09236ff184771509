import { Button, Code, Group, Select, Stack, Text, Title } from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { PagedTable } from '../paged-table.tsx';
import { ApiError, dateTime, useCursorPages } from '../ui.tsx';

const STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
type State = (typeof STATES)[number];

export default function Jobs(): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const pages = useCursorPages();
  const [state, setState] = useState<State | null>('failed');
  const [selected, setSelected] = useState<string | null>(null);
  const list = useQuery({
    ...phoenix.admin.jobs.list.queryOptions({
      state: state ?? undefined,
      limit: 25,
      cursor: pages.cursor,
    }),
    placeholderData: keepPreviousData,
  });
  const job = useQuery({
    ...phoenix.admin.jobs.get.queryOptions({ id: selected ?? '' }),
    enabled: selected !== null,
  });
  const retry = useMutation(
    phoenix.admin.jobs.retry.mutationOptions({ onSuccess: () => queries.invalidateQueries() }),
  );
  return (
    <Stack>
      <Title order={1}>Jobs</Title>
      <Select
        label="State"
        clearable
        data={[...STATES]}
        value={state}
        onChange={pages.filter((v: string | null) => setState(v as State | null))}
        w={200}
      />
      <ApiError error={retry.error ?? job.error} />
      <PagedTable
        label="Jobs"
        query={list}
        pages={pages}
        rowKey={(j) => j.id}
        empty="No job in this state."
        columns={[
          { header: 'Job', cell: (j) => j.name },
          { header: 'State', cell: (j) => j.state },
          { header: 'Retries', cell: (j) => `${j.retryCount} / ${j.retryLimit}` },
          { header: 'Created (UTC)', cell: (j) => dateTime(j.createdOn) },
          {
            header: 'Actions',
            cell: (j) => (
              <Group gap="xs">
                <Button size="xs" variant="default" onClick={() => setSelected(j.id)}>
                  Details
                </Button>
                {j.state === 'failed' && (
                  <Button size="xs" onClick={() => retry.mutate({ id: j.id })}>
                    Retry
                  </Button>
                )}
              </Group>
            ),
          },
        ]}
      />
      {job.data && (
        <Stack gap="xs" component="section" aria-label="Job details">
          <Title order={2} size="h4">
            {job.data.name} {job.data.id}
          </Title>
          <Text size="sm">Data</Text>
          <Code block>{JSON.stringify(job.data.data, null, 2)}</Code>
          <Text size="sm">Output</Text>
          <Code block>{JSON.stringify(job.data.output, null, 2)}</Code>
        </Stack>
      )}
    </Stack>
  );
}
