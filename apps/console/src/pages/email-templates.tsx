import {
  Button,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { usePhoenix } from '@phoenix/sdk/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import type { Outputs } from '../api.ts';
import { ApiError, Loading } from '../ui.tsx';

type Template = Outputs['admin']['emailTemplates']['list']['items'][number];

/** One template per trigger and locale: the list is small and bounded, so it is one page. */
export default function EmailTemplates(): ReactNode {
  const phoenix = usePhoenix();
  const list = useQuery(phoenix.admin.emailTemplates.list.queryOptions({}));
  const [selected, setSelected] = useState<string | null>(null);
  const template = list.data?.items.find((t) => t.id === selected);
  return (
    <Stack>
      <Title order={1}>Email templates</Title>
      <ApiError error={list.error} />
      {list.isPending && <Loading />}
      {list.data && list.data.items.length === 0 && (
        <Text>No custom template: every email uses its built-in text.</Text>
      )}
      {list.data && list.data.items.length > 0 && (
        <Select
          label="Template"
          w={360}
          value={selected}
          onChange={setSelected}
          data={list.data.items.map((t) => ({ value: t.id, label: `${t.trigger} (${t.locale})` }))}
        />
      )}
      {template && (
        <Editor
          key={template.id}
          template={template}
          variables={list.data?.variables[template.trigger] ?? []}
        />
      )}
    </Stack>
  );
}

function Editor(props: { template: Template; variables: string[] }): ReactNode {
  const phoenix = usePhoenix();
  const queries = useQueryClient();
  const [subject, setSubject] = useState(props.template.subject);
  const [html, setHtml] = useState(props.template.html);
  const [text, setText] = useState(props.template.text);
  const save = useMutation(
    phoenix.admin.emailTemplates.update.mutationOptions({
      onSuccess: () => queries.invalidateQueries(),
    }),
  );
  const sendTest = useMutation(phoenix.admin.emailTemplates.sendTest.mutationOptions());
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <Stack>
        <Text size="sm">
          Variables: {props.variables.map((v) => `{{${v}}}`).join(', ') || 'none'}
        </Text>
        <TextInput
          label="Subject"
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
        />
        <Textarea
          label="HTML"
          autosize
          minRows={8}
          value={html}
          onChange={(e) => setHtml(e.currentTarget.value)}
        />
        <Textarea
          label="Plain text"
          autosize
          minRows={4}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <Group>
          <Button
            loading={save.isPending}
            onClick={() => save.mutate({ id: props.template.id, subject, html, text })}
          >
            Save
          </Button>
          <Button
            variant="default"
            loading={sendTest.isPending}
            onClick={() => sendTest.mutate({ id: props.template.id })}
          >
            Send me a test
          </Button>
        </Group>
        {sendTest.isSuccess && <Text size="sm">Test email queued.</Text>}
        <ApiError error={save.error ?? sendTest.error} />
      </Stack>
      <Stack>
        <Text fw={600}>Preview: {subject}</Text>
        {/* Sandboxed (no scripts, no same origin): the preview cannot touch the console. */}
        <iframe
          title="Email preview"
          sandbox=""
          srcDoc={html}
          style={{ width: '100%', minHeight: 400, border: '1px solid #ccc', background: '#fff' }}
        />
      </Stack>
    </SimpleGrid>
  );
}
