//! Generated bindings (placeholder until `sfgen generate` runs).
