// TemporalBridge: a small Temporal SDK.
