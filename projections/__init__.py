"""What it adds up to: folds and read models that rebuild the state as of a date."""
