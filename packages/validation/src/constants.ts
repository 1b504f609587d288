/** The environments the platform runs in, in promotion order. */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
