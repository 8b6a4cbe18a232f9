// autocannon ships no types; this is the slice of its programmatic API the benchmark uses.
declare module 'autocannon' {
  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    timeout?: number;
    /** Requests each connection cycles through, in order (path relative to url). */
    requests?: Array<{
      method?: 'GET' | 'POST';
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /** Called each time the request is built; returns it changed (e.g. another path). */
      setupRequest?: (request: { path?: string }, context: object) => { path?: string } | null;
    }>;
    /** Called with each connection's client as it is made. */
    setupClient?: (client: Client) => void;
    /** Return the raw per-run result (encoded histograms) for merging with aggregateResult. */
    skipAggregateResult?: boolean;
  }
  /** One connection. */
  export interface Client {
    /** Replace the requests this connection cycles through (its own objects, built now). */
    setRequests(requests: NonNullable<Options['requests']>): void;
  }
  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }
  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram & { sent: number };
    throughput: Histogram;
  }
  /** Un-aggregated result of a run with skipAggregateResult (histograms still encoded). */
  export interface RawResult {
    totalCompletedRequests: number;
    /** Seconds. */
    duration: number;
  }
  function autocannon(options: Options & { skipAggregateResult: true }): Promise<RawResult>;
  function autocannon(options: Options): Promise<Result>;
  namespace autocannon {
    function aggregateResult(results: RawResult[], options: Options): Result;
  }
  export default autocannon;
}
