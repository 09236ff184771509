import { Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError } from '../ui.tsx';

/**
 * Signing in sets the hub's session cookie (httpOnly, SameSite=Lax). The token in the
 * answer is dropped: nothing is written to localStorage or sessionStorage.
 */
export function SignIn(): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation(
    phoenix.auth.login.mutationOptions({
      onSuccess: () => queries.invalidateQueries({ queryKey: phoenix.auth.me.queryKey() }),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email, password });
  };
  return (
    <Center mih="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={submit} aria-labelledby="sign-in-title">
          <Stack>
            <Title order={1} size="h3" id="sign-in-title">
              Phoenix Hub console
            </Title>
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <ApiError error={login.error} />
            <Button type="submit" loading={login.isPending}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
