// What the connection indicator says, from what the browser reports and what the last health
// probe found. Kept pure so every combination is tested.

export type ServerReach = 'unknown' | 'ok' | 'degraded' | 'unreachable';

export type ConnectionState = 'offline' | 'checking' | 'online' | 'degraded' | 'unreachable';

export interface ConnectionView {
	state: ConnectionState;
	label: string;
	detail: string;
}

export function describeConnection(browserOnline: boolean, server: ServerReach): ConnectionView {
	if (!browserOnline) {
		return {
			state: 'offline',
			label: 'Offline',
			detail: 'No network. Charta keeps working on this device.'
		};
	}
	switch (server) {
		case 'unknown':
			return { state: 'checking', label: 'Connecting…', detail: 'Checking the Charta server.' };
		case 'ok':
			return { state: 'online', label: 'Online', detail: 'Connected to the Charta server.' };
		case 'degraded':
			return {
				state: 'degraded',
				label: 'Server trouble',
				detail: 'The Charta server answers but its database does not. Retrying.'
			};
		case 'unreachable':
			return {
				state: 'unreachable',
				label: 'Server unreachable',
				detail: 'The network is up but the Charta server does not answer. Retrying.'
			};
	}
}
