// What other domains and the composition root may use of Champion training.
export { adminTrainingSessionsRouter } from './admin-router.ts';
export { analyzeChampionJob } from './analysis-job.ts';
export { championStoragePrefix } from './champions.service.ts';
export { limitChampionUploads } from './limits.ts';
export { championPersonalData } from './personal-data.ts';
export { championsRouter, trainingRouter } from './router.ts';
export { championRoutes } from './routes.ts';
