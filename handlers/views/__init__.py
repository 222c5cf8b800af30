"""Pure Block Kit builders for each feature's messages and modals."""
