import { Anchor, Badge, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link } from 'wouter';
import { PagedTable } from '../paged-table.tsx';
import { dateTime, useCursorPages } from '../ui.tsx';

type Role = 'user' | 'admin';
type Tier = 'FREE' | 'PREMIUM';

export default function Users(): ReactNode {
  const phoenix = usePhoenix();
  const pages = useCursorPages();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [role, setRole] = useState<Role | null>(null);
  const [tier, setTier] = useState<Tier | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const { filter } = pages;
  const users = useQuery({
    ...phoenix.admin.users.list.queryOptions({
      search: debounced || undefined,
      role: role ?? undefined,
      tier: tier ?? undefined,
      active: active === null ? undefined : active === 'active',
      limit: 25,
      cursor: pages.cursor,
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Title order={1}>Users</Title>
      <Group align="end">
        <TextInput
          label="Search email or name"
          value={search}
          onChange={(e) => filter(setSearch)(e.currentTarget.value)}
        />
        <Select
          label="Role"
          clearable
          data={['user', 'admin']}
          value={role}
          onChange={(v) => filter(setRole)(v as Role | null)}
        />
        <Select
          label="Tier"
          clearable
          data={['FREE', 'PREMIUM']}
          value={tier}
          onChange={(v) => filter(setTier)(v as Tier | null)}
        />
        <Select
          label="Status"
          clearable
          data={[
            { value: 'active', label: 'active' },
            { value: 'inactive', label: 'deactivated' },
          ]}
          value={active}
          onChange={filter(setActive)}
        />
      </Group>
      <PagedTable
        label="Users"
        query={users}
        pages={pages}
        rowKey={(u) => u.id}
        highlightOnHover
        empty="No user matches."
        columns={[
          {
            header: 'Email',
            cell: (u) => (
              <Anchor component={Link} href={`/users/${u.id}`}>
                {u.email}
              </Anchor>
            ),
          },
          { header: 'Name', cell: (u) => u.displayName },
          { header: 'Role', cell: (u) => u.role },
          { header: 'Tier', cell: (u) => u.tier },
          {
            header: 'Status',
            cell: (u) => (
              <Badge autoContrast color={u.active ? 'teal.9' : 'gray.8'} variant="filled">
                {u.active ? 'active' : 'deactivated'}
              </Badge>
            ),
          },
          { header: 'Signed up (UTC)', cell: (u) => dateTime(u.createdAt) },
          { header: 'Last login (UTC)', cell: (u) => dateTime(u.lastLoginAt) },
        ]}
      />
    </Stack>
  );
}
