import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { getErrorCode } from '@phoenix/sdk';
import { usePhoenix } from '@phoenix/sdk/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { SignIn } from './pages/sign-in.tsx';
import { ApiError, Loading } from './ui.tsx';

// Each screen is its own chunk: the first page loads only what sign-in needs.
const Dashboard = lazy(() => import('./pages/dashboard.tsx'));
const Users = lazy(() => import('./pages/users.tsx'));
const UserPage = lazy(() => import('./pages/user.tsx'));
const Audit = lazy(() => import('./pages/audit.tsx'));
const Errors = lazy(() => import('./pages/errors.tsx'));
const Alerts = lazy(() => import('./pages/alerts.tsx'));
const Jobs = lazy(() => import('./pages/jobs.tsx'));
const Webhooks = lazy(() => import('./pages/webhooks.tsx'));
const EmailTemplates = lazy(() => import('./pages/email-templates.tsx'));
const BillingEvents = lazy(() => import('./pages/billing-events.tsx'));
const TrainingSessions = lazy(() => import('./pages/training-sessions.tsx'));
const Gdpr = lazy(() => import('./pages/gdpr.tsx'));

const NAV = [
  ['/', 'Dashboard'],
  ['/users', 'Users'],
  ['/audit', 'Audit log'],
  ['/errors', 'Errors'],
  ['/alerts', 'Alerts'],
  ['/jobs', 'Jobs'],
  ['/webhooks', 'Webhooks'],
  ['/email-templates', 'Email templates'],
  ['/billing', 'Billing events'],
  ['/training-sessions', 'Training sessions'],
  ['/gdpr', 'GDPR requests'],
] as const;

export function App(): ReactNode {
  const phoenix = usePhoenix();
  const me = useQuery(phoenix.auth.me.queryOptions());
  if (me.isPending) return <Loading label="Checking your session" />;
  if (me.error) {
    return getErrorCode(me.error) === 'UNAUTHORIZED' ? <SignIn /> : <ApiError error={me.error} />;
  }
  if (me.data.role !== 'admin') return <NotAdmin email={me.data.email} />;
  return <Shell email={me.data.email} />;
}

function SignOut(): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const logout = useMutation(
    phoenix.auth.logout.mutationOptions({ onSettled: () => queries.clear() }),
  );
  return (
    <Button variant="default" size="xs" onClick={() => logout.mutate()} loading={logout.isPending}>
      Sign out
    </Button>
  );
}

function NotAdmin({ email }: { email: string }): ReactNode {
  return (
    <main style={{ padding: 32 }}>
      <Title order={1}>Administrators only</Title>
      <Text my="md">{email} is signed in, but this console is for administrators of the hub.</Text>
      <SignOut />
    </main>
  );
}

function Shell({ email }: { email: string }): ReactNode {
  const [opened, { toggle }] = useDisclosure();
  const [location] = useLocation();
  const active = (path: string) =>
    path === '/' ? location === '/' : location === path || location.startsWith(`${path}/`);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Text fw={700} component="span">
              Phoenix Hub console
            </Text>
          </Group>
          <Group>
            <Text size="sm" component="span">
              {email}
            </Text>
            <SignOut />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Sections">
        {NAV.map(([path, label]) => (
          <NavLink
            key={path}
            component={Link}
            href={path}
            label={label}
            active={active(path)}
            variant="filled"
            aria-current={active(path) ? 'page' : undefined}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={Dashboard} />
            <Route path="/users" component={Users} />
            <Route path="/users/:id">{(params) => <UserPage userId={params.id} />}</Route>
            <Route path="/audit" component={Audit} />
            <Route path="/errors" component={Errors} />
            <Route path="/alerts" component={Alerts} />
            <Route path="/jobs" component={Jobs} />
            <Route path="/webhooks" component={Webhooks} />
            <Route path="/email-templates" component={EmailTemplates} />
            <Route path="/billing" component={BillingEvents} />
            <Route path="/training-sessions" component={TrainingSessions} />
            <Route path="/gdpr" component={Gdpr} />
            <Route>
              <Redirect to="/" />
            </Route>
          </Switch>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
