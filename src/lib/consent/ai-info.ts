import { requestJson, type JsonClientOptions } from '../http/request-json.ts';
import { AiInfo } from '../shared/analyses.ts';

/** GET /v1/ai: which cloud provider, if any, this server would send data to. */
export function fetchAiInfo(options: JsonClientOptions = {}): Promise<AiInfo> {
	return requestJson(options, 'GET', '/v1/ai', AiInfo);
}
