export { SecretsManagerStore } from './secretsManagerStore';
export { quietMetrics, silentLogger } from './powertools';
