import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';

/**
 * A route that answers by writing to Node's ServerResponse itself (the event stream): it claims
 * the response, and once the app's middleware has finished the answer's headers (security
 * headers, no-store), they are written and `start` gets the response.
 */
export interface RawResponses {
	claim(handlers: {
		/** Content type and the like; the app's middleware adds its own. */
		headers: Record<string, string>;
		start: (response: ServerResponse) => void;
		/** The answer became something else (an error after the route): let go of everything. */
		cancel: () => void;
	}): Response;
}

export interface NodeEnv {
	incoming: IncomingMessage;
	outgoing: ServerResponse;
	/** Present only behind apiListener, which does the writing. */
	raw?: RawResponses;
}

const ALREADY_SENT = [...RESPONSE_ALREADY_SENT.headers.keys()];

/** The route's way to the raw response, when it runs behind apiListener on Node. */
export function rawResponses(c: Context): RawResponses | undefined {
	return (c.env as Partial<NodeEnv> | undefined)?.raw;
}

/** @hono/node-server's listener for `fetch`, with RawResponses for the routes that want them. */
export function apiListener(
	fetch: (request: Request, env: NodeEnv) => Promise<Response> | Response
) {
	// createHttpServer serves HTTP/1.1 only (node:http), so the bindings are node:http's.
	return getRequestListener(async (request, bindings) => {
		const env = bindings as HttpBindings;
		let claimed: Parameters<RawResponses['claim']>[0] | undefined;
		const raw: RawResponses = {
			claim(handlers) {
				claimed = handlers;
				// Marked so node-server leaves the response alone; status and headers are ours.
				const headers = new Headers(handlers.headers);
				for (const name of ALREADY_SENT)
					headers.set(name, RESPONSE_ALREADY_SENT.headers.get(name)!);
				return new Response(null, { status: 200, headers });
			}
		};
		const response = await fetch(request, { incoming: env.incoming, outgoing: env.outgoing, raw });
		if (!claimed) return response;
		if (!ALREADY_SENT.every((name) => response.headers.has(name))) {
			claimed.cancel();
			return response;
		}
		const headers: Record<string, string> = {};
		response.headers.forEach((value, name) => {
			if (!ALREADY_SENT.includes(name)) headers[name] = value;
		});
		env.outgoing.writeHead(response.status, headers);
		claimed.start(env.outgoing);
		return response;
	});
}
