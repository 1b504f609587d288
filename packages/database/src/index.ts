export { AURORA_POSTGRES_ENGINE, DATABASE_DEFAULTS, DATABASE_PARAMETERS, OPEN_CIDR_BLOCKS, POSTGRES_PORT } from './constants';
export { DatabaseComponent } from './databaseComponent';
export { databaseKeyPolicy } from './keyPolicy';
export { DatabaseComponentError } from './errors';
export { DATABASE_NAMES, databasePhysicalNames } from './names';
export type { DatabaseComponentArgs } from './types';
export { assertDatabaseSettings, assertNotOpenCidr } from './validate';
