// A small closed-loop HTTP load generator: `connections` keep-alive connections, each sending the next GET as soon
// as the previous answer is read, for a fixed time. The same generator measures every target of a comparison, so
// its own cost (node:http in this process) weighs on each alike.
import http from 'node:http';
import { type Latency, latency, round } from './perf-stats';

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Paths requested in turn (each connection walks the list from its own offset). */
  paths: readonly string[];
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  /** Return every latency sample too (to merge rounds). */
  keepSamples?: boolean;
  /** Called about every 250 ms with the requests so far. */
  onProgress?: (done: number, elapsedMs: number) => void;
}

export interface LoadResult {
  requests: number;
  /** Answers other than 2xx, and transport errors. */
  non2xx: number;
  errors: number;
  durationMs: number;
  requestsPerSecond: number;
  /** Mean bytes of a response body. */
  bodyBytes: number;
  latencyMs: Latency;
  samples?: number[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.connections,
    maxFreeSockets: options.connections,
  });
  const samples: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let bodyBytes = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + options.durationMs;
  const tick = setInterval(
    () => options.onProgress?.(samples.length, Number(process.hrtime.bigint() - started) / 1e6),
    250,
  );

  const once = (path: string) =>
    new Promise<void>((resolve) => {
      const t0 = process.hrtime.bigint();
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'GET',
          path,
          headers: { accept: 'application/json', ...options.headers },
        },
        (response) => {
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
          });
          response.on('end', () => {
            samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
            bodyBytes += size;
            const status = response.statusCode ?? 0;
            if (status < 200 || status >= 300) non2xx += 1;
            resolve();
          });
          response.on('error', () => {
            errors += 1;
            resolve();
          });
        },
      );
      request.on('error', () => {
        errors += 1;
        resolve();
      });
      request.end();
    });

  const loop = async (offset: number) => {
    let i = offset;
    while (Date.now() < deadline) {
      await once(options.paths[i % options.paths.length] as string);
      i += 1;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, c) => loop(c * 7)));
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(tick);
  agent.destroy();
  return {
    requests: samples.length,
    non2xx,
    errors,
    durationMs: Math.round(durationMs),
    requestsPerSecond: round((samples.length * 1000) / durationMs, 1),
    bodyBytes: Math.round(bodyBytes / Math.max(1, samples.length)),
    latencyMs: latency(samples, 3),
    ...(options.keepSamples ? { samples } : {}),
  };
}
