import '@mantine/charts/styles.css';
import { AreaChart, BarChart, LineChart } from '@mantine/charts';
import { Badge, Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ApiError, Loading } from '../ui.tsx';

const PERIOD_DAYS = 30;

function period(): { from: Date; to: Date } {
  const to = new Date();
  const from = new Date(to.getTime() - PERIOD_DAYS * 86_400_000);
  return { from, to };
}

function Stat(props: { label: string; value: number | string; testId: string }): ReactNode {
  return (
    <Card withBorder padding="md">
      <Text size="sm" component="h3">
        {props.label}
      </Text>
      <Text fz={28} fw={700} data-testid={props.testId}>
        {props.value}
      </Text>
    </Card>
  );
}

function Section(props: { title: string; children: ReactNode }): ReactNode {
  return (
    <Card withBorder padding="md" component="section" aria-label={props.title}>
      <Title order={2} size="h4" mb="sm">
        {props.title}
      </Title>
      {props.children}
    </Card>
  );
}

export default function Dashboard(): ReactNode {
  const phoenix = usePhoenix();
  const [range] = useState(period);
  const summary = useQuery(phoenix.admin.stats.dashboard.queryOptions({ periodDays: PERIOD_DAYS }));
  const activity = useQuery(phoenix.admin.stats.activityPerDay.queryOptions(range));
  const signups = useQuery(phoenix.admin.stats.signupsPerDay.queryOptions(range));
  const errors = useQuery(phoenix.admin.stats.errorsPerDay.queryOptions(range));
  const funnel = useQuery(phoenix.admin.stats.funnel.queryOptions(range));
  const usage = useQuery(phoenix.gateway.admin.usage.queryOptions({ days: PERIOD_DAYS }));
  const providers = useQuery(phoenix.gateway.admin.providers.queryOptions());

  const perDay = (activity.data ?? []).map((a, i) => ({
    day: a.day.slice(5),
    'active users': a.users,
    'sign-ups': signups.data?.[i]?.signups ?? 0,
    errors: errors.data?.[i]?.occurrences ?? 0,
  }));
  const calls = usage.data?.reduce((n, d) => n + d.requests, 0) ?? 0;
  const failed = usage.data?.reduce((n, d) => n + d.failed, 0) ?? 0;
  const credits = usage.data?.reduce((n, d) => n + d.credits, 0) ?? 0;

  return (
    <Stack>
      <Title order={1}>Dashboard</Title>
      <ApiError error={summary.error ?? activity.error ?? signups.error ?? errors.error} />
      {summary.data ? (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Stat label="Users" value={summary.data.users.total} testId="stat-users" />
          <Stat
            label={`New in ${PERIOD_DAYS} days`}
            value={summary.data.users.newInPeriod}
            testId="stat-new-users"
          />
          <Stat
            label="Active users (day / week / month)"
            value={`${summary.data.activeUsers.dau} / ${summary.data.activeUsers.wau} / ${summary.data.activeUsers.mau}`}
            testId="stat-active-users"
          />
          <Stat
            label="Active sessions"
            value={summary.data.activeSessions}
            testId="stat-sessions"
          />
          <Stat label="Open errors" value={summary.data.openErrors} testId="stat-open-errors" />
          <Stat label="Unread alerts" value={summary.data.unreadAlerts} testId="stat-alerts" />
          <Stat label={`Gateway calls (${PERIOD_DAYS} d)`} value={calls} testId="stat-calls" />
          <Stat
            label={`Credits charged (${PERIOD_DAYS} d)`}
            value={credits}
            testId="stat-credits"
          />
        </SimpleGrid>
      ) : (
        <Loading />
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Section title="Active users and sign-ups per day">
          <LineChart
            h={220}
            data={perDay}
            dataKey="day"
            series={[
              { name: 'active users', color: 'orange.8' },
              { name: 'sign-ups', color: 'blue.8' },
            ]}
            withLegend
          />
        </Section>
        <Section title="Errors per day">
          <BarChart
            h={220}
            data={perDay}
            dataKey="day"
            series={[{ name: 'errors', color: 'red.8' }]}
          />
        </Section>
        <Section title={`Funnel (sign-ups of the last ${PERIOD_DAYS} days)`}>
          <ApiError error={funnel.error} />
          {funnel.data && (
            <BarChart
              h={220}
              orientation="vertical"
              yAxisProps={{ width: 150 }}
              data={[
                { step: 'Registered', users: funnel.data.registered },
                { step: 'First action', users: funnel.data.firstDomainAction },
                { step: 'Diagnostic done', users: funnel.data.firstDiagnosticCompleted },
                { step: 'Back after 7 days', users: funnel.data.activeAgainAfter7Days },
              ]}
              dataKey="step"
              series={[{ name: 'users', color: 'orange.8' }]}
            />
          )}
          {funnel.data && (
            <Text size="sm" data-testid="funnel-registered">
              {funnel.data.registered} registered
            </Text>
          )}
        </Section>
        <Section title="Gateway calls and credits per day">
          <ApiError error={usage.error} />
          <AreaChart
            h={220}
            data={(usage.data ?? []).map((d) => ({
              day: d.day.slice(5),
              calls: d.requests,
              credits: d.credits,
            }))}
            dataKey="day"
            series={[
              { name: 'calls', color: 'teal.8' },
              { name: 'credits', color: 'grape.8' },
            ]}
            withLegend
          />
          <Text size="sm">
            {calls} calls, {failed} failed, {credits} credits charged
          </Text>
        </Section>
      </SimpleGrid>
      <Section title="Provider health">
        <ApiError error={providers.error} />
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Provider</Table.Th>
              <Table.Th>Available</Table.Th>
              <Table.Th>Breaker</Table.Th>
              <Table.Th>Requests</Table.Th>
              <Table.Th>Error rate</Table.Th>
              <Table.Th>Mean latency</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {providers.data?.map((p) => (
              <Table.Tr key={p.provider}>
                <Table.Td>{p.provider}</Table.Td>
                <Table.Td>{p.available ? 'yes' : `no${p.reason ? ` (${p.reason})` : ''}`}</Table.Td>
                <Table.Td>
                  <Badge
                    autoContrast
                    color={p.state === 'closed' ? 'teal.9' : 'red.9'}
                    variant="filled"
                  >
                    {p.state}
                  </Badge>
                </Table.Td>
                <Table.Td>{p.requests}</Table.Td>
                <Table.Td>{(p.errorRate * 100).toFixed(1)} %</Table.Td>
                <Table.Td>
                  {p.avgLatencyMs === null ? '—' : `${Math.round(p.avgLatencyMs)} ms`}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </Stack>
  );
}
