// No imports: command definitions read these at start-up, before any statistics module is loaded.

/** The row fields that name a pairwise row's two systems unless --systems says otherwise (Chatbot Arena's and MT-Bench's names). */
export const DEFAULT_SYSTEM_FIELDS = { a: 'model_a', b: 'model_b' } as const;

/** `verdict rank`'s bootstrap unless --bootstrap and --seed say otherwise; the HTML report ranks with it, so both show the same intervals. */
export const RANK_BOOTSTRAP = { resamples: 1000, seed: 1 } as const;
