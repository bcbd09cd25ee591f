export { loadWorkerConfig, WORKER_SETTING_NAMES, type WorkerConfig, WorkerConfigError } from './config.ts';
export { healthServer } from './health-server.ts';
