// Lambda entry point `migrate.handler` (same image, CMD overridden); also used by `nx run payment-processor:migrate`.
import { createMigrateHandler } from './migrateHandler';

export { runMigrations } from './migrate';
export const handler = createMigrateHandler().handler;
