import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** A Powertools Logger that writes nothing; spy on its methods to assert what would be logged. */
export const silentLogger = (serviceName = 'tap-test'): Logger => new Logger({ serviceName, logLevel: 'SILENT' });

/**
 * Powertools Metrics that publish nothing: the EMF lines would flood the test output. Stored metrics
 * are dropped at publish time, so `addMetric` calls stay observable through a spy.
 */
export function quietMetrics(serviceName = 'tap-test'): Metrics {
  const metrics = new Metrics({ namespace: 'Test', serviceName });
  metrics.publishStoredMetrics = function (this: Metrics): Metrics {
    this.clearMetrics();
    return this;
  };
  return metrics;
}
