export { SecretsManagerStore } from './secretsManagerStore';
