import { Anchor, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link } from 'wouter';
import type { Outputs } from '../api.ts';
import { PagedTable } from '../paged-table.tsx';
import { dateTime, StateBadge, useCursorPages } from '../ui.tsx';

type Session = Outputs['admin']['trainingSessions']['list']['items'][number];
type Status = Session['status'];

const END_REASON: Record<NonNullable<Session['endReason']>, string> = {
  ended: 'ended by the seller',
  max_turns: 'turn limit reached',
  inactivity: 'inactive too long',
  max_duration: 'time limit reached',
};

/** Champion role-play sessions of every user (`admin.trainingSessions.list`). */
export default function TrainingSessions(): ReactNode {
  const phoenix = usePhoenix();
  const pages = useCursorPages();
  const [status, setStatus] = useState<Status | null>(null);
  const [userDraft, setUserDraft] = useState('');
  const [userId, setUserId] = useState('');
  const list = useQuery({
    ...phoenix.admin.trainingSessions.list.queryOptions({
      status: status ?? undefined,
      userId: userId || undefined,
      limit: 25,
      cursor: pages.cursor,
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Title order={1}>Training sessions</Title>
      <Text size="sm">
        Role-play sessions against a champion, newest first, with each seller's score.
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
            label="Status"
            clearable
            data={['running', 'ended']}
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
        label="Training sessions"
        query={list}
        pages={pages}
        rowKey={(s) => s.id}
        rowTestId="training-session-row"
        empty="No training session matches."
        columns={[
          { header: 'Started (UTC)', cell: (s) => dateTime(s.startedAt) },
          {
            header: 'Seller',
            cell: (s) => (
              <Anchor component={Link} href={`/users/${s.userId}`}>
                {s.userEmail}
              </Anchor>
            ),
          },
          { header: 'Champion', cell: (s) => s.championName },
          {
            header: 'Scenario',
            cell: (s) => (
              <>
                <Text size="sm">{s.scenario.title}</Text>
                <Text size="xs">
                  {s.scenario.difficulty} · version {s.scenario.version}
                </Text>
              </>
            ),
          },
          {
            header: 'Status',
            cell: (s) => (
              <>
                <StateBadge color={s.status === 'running' ? 'blue.9' : 'gray.8'}>
                  {s.status}
                </StateBadge>
                {s.endReason && <Text size="xs">{END_REASON[s.endReason]}</Text>}
              </>
            ),
          },
          { header: 'Seller turns', cell: (s) => `${s.sellerTurns} / ${s.maxTurns}` },
          { header: 'Score', cell: (s) => s.overallScore ?? '—' },
          { header: 'Last activity (UTC)', cell: (s) => dateTime(s.lastActivityAt) },
        ]}
      />
    </Stack>
  );
}
