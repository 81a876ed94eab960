// Wording about the shared engine (the header's status). Functions for values, as in every
// strings module. The header names no model: Compare's blind panes must stay anonymous.
const models = (n: number) => (n === 1 ? '1 model' : `${n} models`);

export const engineText = {
	idle: 'No model loaded',
	loaded: (n: number) => `${models(n)} loaded`,
	loading: (n: number) => `Loading ${models(n)}…`,
	waiting: (n: number) => `${models(n)} waiting to load until another tab’s answer is finished`,
	answering: (n: number) => (n === 1 ? 'writing an answer' : `writing ${n} answers`),
	tabs: (n: number) => `shared by ${n} tabs`
};
