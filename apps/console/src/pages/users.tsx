import { Anchor, Badge, Group, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { usePhoenix } from '@phoenix/sdk/react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link } from 'wouter';
import { ApiError, dateTime, Loading, Pager, useCursorPages } from '../ui.tsx';

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
  const filter =
    <T,>(set: (v: T) => void) =>
    (value: T) => {
      set(value);
      pages.reset();
    };
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
      <ApiError error={users.error} />
      {users.isPending ? (
        <Loading />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Email</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Tier</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Signed up (UTC)</Table.Th>
              <Table.Th>Last login (UTC)</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data?.items.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>
                  <Anchor component={Link} href={`/users/${u.id}`}>
                    {u.email}
                  </Anchor>
                </Table.Td>
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td>{u.role}</Table.Td>
                <Table.Td>{u.tier}</Table.Td>
                <Table.Td>
                  <Badge autoContrast color={u.active ? 'teal.9' : 'gray.8'} variant="filled">
                    {u.active ? 'active' : 'deactivated'}
                  </Badge>
                </Table.Td>
                <Table.Td>{dateTime(u.createdAt)}</Table.Td>
                <Table.Td>{dateTime(u.lastLoginAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Pager
        label="Users"
        page={pages.page}
        nextCursor={users.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
      />
    </Stack>
  );
}
