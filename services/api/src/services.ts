import type { Application } from '@small-steps/application';
import type { Config } from './config.ts';

/** What routes call: the application, and the configuration they read limits from. */
export type Services = Application & { config: Config };
