// Idle auto-lock. Timers in a background tab are throttled or frozen, so the deadline is also
// checked against the wall clock whenever the page becomes visible again.

export const DEFAULT_AUTO_LOCK_MINUTES = 15;
export const AUTO_LOCK_CHOICES = [1, 5, 15, 30, 60] as const;

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export function startAutoLock({
	minutes,
	onLock,
	now = () => Date.now()
}: {
	minutes: () => number;
	onLock: () => void;
	now?: () => number;
}): () => void {
	let lastActivity = now();
	let timer: ReturnType<typeof setTimeout> | undefined;

	const schedule = () => {
		clearTimeout(timer);
		const remaining = lastActivity + minutes() * 60_000 - now();
		if (remaining <= 0) {
			onLock();
			return;
		}
		timer = setTimeout(schedule, Math.min(remaining, 60_000));
	};
	const activity = () => {
		lastActivity = now();
		schedule();
	};
	const visibility = () => {
		if (document.visibilityState === 'visible') schedule();
	};

	for (const type of ACTIVITY) window.addEventListener(type, activity, { passive: true });
	document.addEventListener('visibilitychange', visibility);
	schedule();
	return () => {
		clearTimeout(timer);
		for (const type of ACTIVITY) window.removeEventListener(type, activity);
		document.removeEventListener('visibilitychange', visibility);
	};
}
