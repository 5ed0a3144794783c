/// Upper bounds of the counts and sizes a recipe or a command line may ask for: far beyond any
/// study on one machine, yet small enough that no product of them overflows an `Int`, so a
/// typo such as `batch_size: 9223372036854775807` is an error naming the key, not a trap.
/// Memory is checked separately, when a stage knows the model (`RunSession.train`).
public enum OptionLimits {
    /// Optimiser steps of a stage, and warm-up steps.
    public static let steps = 10_000_000
    /// Examples per micro-batch (training and evaluation).
    public static let batchSize = 65_536
    /// Micro-batches per update.
    public static let accumulation = 65_536
    /// Intervals in steps (`checkpoint_every`, `gradient_log_every`, `eval_every`).
    public static let interval = 10_000_000
    /// Tokens: a context, a stride, a maximum length, new tokens to generate.
    public static let tokens = 1_048_576
    /// Repetitions: bootstrap resamples, generation samples.
    public static let repetitions = 1_000_000
    /// Model sizes: layers, widths, heads, LoRA ranks.
    public static let modelSize = 1_048_576
    /// Seeds (any non-negative 63-bit integer).
    public static let seed = Int.max
}
