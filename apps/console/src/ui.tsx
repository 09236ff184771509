import { Alert, Badge, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { errorText } from './api.ts';

/** A failed call, in the API's words; `role="alert"` so screen readers announce it. */
export function ApiError({ error }: { error: unknown }): ReactNode {
  if (!error) return null;
  return (
    <Alert
      color="red.9"
      variant="outline"
      title="The hub refused"
      role="alert"
      data-testid="api-error"
    >
      {errorText(error)}
    </Alert>
  );
}

/** A state as a filled badge, never cut short by a narrow table column. */
export function StateBadge(props: { color: string; children: ReactNode }): ReactNode {
  return (
    <Badge autoContrast color={props.color} variant="filled" miw="max-content">
      {props.children}
    </Badge>
  );
}

export function Loading({ label = 'Loading' }: { label?: string }): ReactNode {
  return (
    <Group gap="xs" aria-live="polite">
      <Loader size="sm" aria-hidden />
      <Text size="sm">{label}…</Text>
    </Group>
  );
}

export interface CursorPages<C = string> {
  cursor: C | undefined;
  page: number;
  next: (cursor: C) => void;
  previous: () => void;
  reset: () => void;
  /** Wraps a filter's setter: a changed filter starts again from the first page. */
  filter: <T>(set: (value: T) => void) => (value: T) => void;
}

/** Keeps the cursors of the pages already seen, so "Previous" needs no backward cursor. */
export function useCursorPages<C = string>(): CursorPages<C> {
  const [stack, setStack] = useState<(C | undefined)[]>([undefined]);
  return {
    cursor: stack.at(-1),
    page: stack.length,
    next: (cursor) => setStack((s) => [...s, cursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([undefined]),
    filter: (set) => (value) => {
      set(value);
      setStack([undefined]);
    },
  };
}

export function Pager<C = string>(props: {
  page: number;
  nextCursor: C | null | undefined;
  onNext: (cursor: C) => void;
  onPrevious: () => void;
  label: string;
}): ReactNode {
  const { nextCursor } = props;
  return (
    <Group justify="space-between" aria-label={`${props.label} pages`} role="navigation">
      <Button variant="default" onClick={props.onPrevious} disabled={props.page <= 1}>
        Previous
      </Button>
      <Text size="sm">Page {props.page}</Text>
      <Button
        variant="default"
        onClick={() => {
          if (nextCursor !== null && nextCursor !== undefined) props.onNext(nextCursor);
        }}
        disabled={nextCursor === null || nextCursor === undefined}
      >
        Next
      </Button>
    </Group>
  );
}

/** Asks before an action; the API's refusal stays on screen in the dialog. */
export function ConfirmButton(props: {
  label: string;
  title: string;
  body: ReactNode;
  confirmLabel?: string;
  color?: string;
  onConfirm: () => Promise<unknown>;
  disabled?: boolean;
}): ReactNode {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      setOpen(false);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        color={props.color}
        variant="filled"
        onClick={() => setOpen(true)}
        disabled={props.disabled}
      >
        {props.label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={props.title}>
        <Stack>
          {props.body}
          <ApiError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button color={props.color} loading={busy} onClick={confirm}>
              {props.confirmLabel ?? 'Confirm'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export const dateTime = (value: Date | string | null | undefined): string =>
  value ? new Date(value).toLocaleString('en-GB', { timeZone: 'UTC' }) : '—';
