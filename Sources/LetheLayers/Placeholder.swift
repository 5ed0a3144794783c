// Placeholder until the first layer lands.
