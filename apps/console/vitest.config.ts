import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Tests read the built bundle (turbo builds before testing); no Vite plugins needed here.
export default mergeConfig(shared, defineConfig({ test: { include: ['src/**/*.test.ts'] } }));
