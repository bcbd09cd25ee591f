export { loadWorkerConfig, type WorkerConfig, WorkerConfigError } from './config.ts';
export { healthServer } from './health-server.ts';
