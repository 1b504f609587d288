import { sql as createPayments } from './0001CreatePayments';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Applied in ascending order; never edit an applied migration (its checksum is verified), add a new one. */
export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'create-payments', sql: createPayments }];
