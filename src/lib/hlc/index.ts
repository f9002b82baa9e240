export {
	encodeHlc,
	decodeHlc,
	compareHlc,
	maxHlc,
	hlcNode,
	isHlc,
	isValidNodeId,
	newNodeId,
	HlcFormatError,
	MAX_HLC_MS,
	MAX_HLC_COUNTER,
	type Hlc
} from './hlc.ts';
export { createClock, ClockDriftError, type Clock } from './create-clock.ts';
