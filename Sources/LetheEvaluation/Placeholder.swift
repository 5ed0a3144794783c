// Placeholder until the first evaluator lands.
