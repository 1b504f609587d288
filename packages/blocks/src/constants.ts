export const POSTGRES_PORT = 5432;
export const HTTPS_PORT = 443;
