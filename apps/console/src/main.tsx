import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { PhoenixProvider } from '@phoenix/sdk/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { client, queryClient } from './api.ts';
import { App } from './app.tsx';

const theme = createTheme({ primaryColor: 'indigo', primaryShade: 8 });

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <Notifications />
      <QueryClientProvider client={queryClient}>
        <PhoenixProvider trpcClient={client} queryClient={queryClient}>
          <Router base="/console">
            <App />
          </Router>
        </PhoenixProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
