// Resource limits that keep hostile input bounded in time and memory. Each stage checks the
// ones it is responsible for and reports a clear error instead of running away.

/**
 * Bounds on one compilation, in time and memory: a source past any of them fails with a
 * diagnostic instead of running away. Pass a partial set as `CompileOptions.limits`.
 */
export interface CompileLimits {
  /** Bytes of source text in one file (main file or include). */
  maxSourceBytes: number;
  /**
   * Tokens after preprocessing beyond those written in the source: the output may hold every
   * token of the user's files (each file lexed once; bounded by `maxSourceBytes`) plus this
   * many more. Every later stage is linear in tokens, so this bounds the time and memory that
   * macro expansion can multiply out of a short source, while a big table of data, whose
   * tokens are its own bytes, is bounded by its size alone. The default is set by cost, not
   * by a count of expansions: a source of `maxSourceBytes` may already hold a million tokens of
   * its own, and macro-made tokens cost no more than those downstream (expansion shares token
   * objects and hide sets), so half a million keeps a compile at the limit within a few seconds
   * and about 100 MB, while a 300-byte macro bomb is refused after a fraction of a second.
   */
  maxTokens: number;
  /** #include nesting. */
  maxIncludeDepth: number;
  /**
   * Work of macro expansion in one compilation: one unit per expansion plus one per token it
   * produces (well under 1 µs a unit). It bounds memory too: at most this many tokens (about
   * 100 bytes each) are ever made by expansion.
   */
  maxMacroWork: number;
  /**
   * Nesting of statements, declarators, initializers and #if/macro arguments. Expressions are
   * not counted: their depth is bounded by the JS stack (cc/stack-guard.ts).
   */
  maxNestingDepth: number;
  /** Distinct identifiers declared (all scopes). */
  maxIdentifiers: number;
  /** Bytes in one string literal. */
  maxStringBytes: number;
  /** Bytes of one object (array or struct), and of all static data together. */
  maxObjectBytes: number;
  /**
   * Bytes of the module: code plus initialized static data (zero-filled data costs nothing).
   * A few hundred bytes of C can ask for far more than any plugin needs.
   */
  maxModuleBytes: number;
  /** Errors reported before the compiler gives up. */
  maxErrors: number;
}

/** The limits `compile()` uses for any field `CompileOptions.limits` leaves out. */
export const defaultLimits: CompileLimits = {
  maxSourceBytes: 4 << 20,
  maxTokens: 500_000,
  maxIncludeDepth: 32,
  maxMacroWork: 4_000_000,
  maxNestingDepth: 200,
  maxIdentifiers: 100_000,
  maxStringBytes: 1 << 20,
  maxObjectBytes: 256 << 20,
  maxModuleBytes: 16 << 20,
  maxErrors: 20,
};
