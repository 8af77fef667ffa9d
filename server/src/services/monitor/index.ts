/**
 * The monitor service's face: the server's Prometheus figures. The HTTP
 * side (`/metrics`, `/healthz`) is the transport's (transport/http/).
 */
export { ServerMetrics, type MetricsSources } from './server-metrics.js';
