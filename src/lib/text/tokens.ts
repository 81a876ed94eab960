// Token counts as the page estimates them. The real tokenizer lives in the engine worker and
// differs per model; an estimate is enough to decide what fits a context window (with the room
// kept for the answer) and to draw the meter.

export type TokenEstimator = (text: string) => number;

/** About four characters a token for English text; errs high for code, low for CJK text. */
export const estimateTokens: TokenEstimator = (text) => Math.ceil(text.length / 4);
