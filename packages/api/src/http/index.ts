export { type AppState, createHttpApp, type HttpApp } from './app.ts';
export { type Listening, listen } from './listen.ts';
export { createLogger } from './logger.ts';
