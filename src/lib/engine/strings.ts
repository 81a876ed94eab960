// Wording about the shared engine (the header's status). Functions for values, as in every
// strings module.
export const engineText = {
	idle: 'No model loaded',
	loaded: (ids: readonly string[]) => `Loaded: ${ids.join(', ')}`,
	loading: (ids: readonly string[]) => `Loading ${ids.join(', ')}…`,
	waiting: (ids: readonly string[]) =>
		`Waiting to load ${ids.join(', ')} until another tab’s answer is finished`,
	answering: (n: number) => (n === 1 ? 'writing an answer' : `writing ${n} answers`),
	tabs: (n: number) => `shared by ${n} tabs`
};
