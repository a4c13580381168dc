export { createMetrics, initializeLabelSets, initializeRepositoryLabelSets, metrics, registry, describeMetrics, type Metrics } from "./metrics";
export { Registry } from "prom-client";
