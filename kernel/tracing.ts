import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { HubConfig } from './config';

export { SpanKind, SpanStatusCode, type Context, type Span };

/** W3C Trace Context (`traceparent`, `tracestate`): what every hop of the hub reads and writes. */
const propagator = new W3CTraceContextPropagator();

/** Headers as Node, fetch or Apollo's HeaderMap give them. */
type HeaderSource = { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const value =
    typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get(n: string): string | null | undefined }).get(name)
      : (headers as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}

/**
 * Issue L: one service's traces (OpenTelemetry), exported over OTLP/HTTP to
 * `<JOINTCHECK_OTLP_ENDPOINT>/v1/traces`, with the resource `service.name = jointcheck-<service>`.
 * A tracer of the service's own, not the process-wide one: the quick start and the tests run every
 * service in one process, each under its own name. Without an endpoint there is no ServiceTracing
 * at all (tracingOf gives null) and no span is made.
 *
 * One submission is one trace: the gateway's request span, its call to the joint service, the joint
 * service's request (whose context the outbox entry keeps, `trace_parent`), the later delivery of
 * that entry, and the department's RecordResults request, each a child of the one before.
 */
export class ServiceTracing {
  readonly tracer: Tracer;
  private readonly provider: BasicTracerProvider;

  constructor(
    readonly service: string,
    endpoint: string,
  ) {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': `jointcheck-${service}`, 'service.namespace': 'jointcheck' }),
      spanProcessors: [
        new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }), {
          scheduledDelayMillis: 1000,
        }),
      ],
    });
    this.tracer = this.provider.getTracer('jointcheck');
  }

  /** The context a request's `traceparent` names; the root context without one (a new trace). */
  extract(headers: HeaderSource | undefined): Context {
    return propagator.extract(ROOT_CONTEXT, headers, {
      keys: () => ['traceparent', 'tracestate'],
      get: (carrier, key) => header(carrier, key),
    });
  }

  /** A context from a stored `traceparent` (an outbox entry's); the root context for none. */
  fromTraceparent(traceparent: string | null | undefined): Context {
    return traceparent ? this.extract({ traceparent }) : ROOT_CONTEXT;
  }

  /** Starts a span under `parent` (a context, or none: a new trace). */
  start(
    name: string,
    parent: Context | undefined,
    options: { kind?: SpanKind; attributes?: Attributes; links?: Link[] } = {},
  ): { span: Span; context: Context } {
    const base = parent ?? ROOT_CONTEXT;
    const span = this.tracer.startSpan(name, options, base);
    return { span, context: trace.setSpan(base, span) };
  }

  /** Sends sooner than the batch would (tests, and a service that stops). */
  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

/** The headers that carry `context` to the next hop (`traceparent`, and `tracestate` when there is one). */
export function traceHeaders(context: Context | undefined): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (context) propagator.inject(context, carrier, { set: (c, k, v) => (c[k] = v) });
  return carrier;
}

/** The `traceparent` of a context's span, to store (an outbox entry's); null when it has none. */
export function traceparentOf(context: Context | undefined): string | null {
  return traceHeaders(context).traceparent ?? null;
}

/** The tracing of a service's configuration: null without JOINTCHECK_OTLP_ENDPOINT (traces off, no cost). */
export function tracingOf(config: Partial<Pick<HubConfig, 'tracing'>>, service: string): ServiceTracing | null {
  const endpoint = config.tracing?.otlpEndpoint;
  return endpoint ? new ServiceTracing(service, endpoint) : null;
}
