"""Files in and out: scenario files, zip bundles, share links, the sample data, and campaign
exports (``imports``). Above the model, below the store."""
